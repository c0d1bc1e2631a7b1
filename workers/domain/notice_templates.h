// notice_templates.h: the texts of notifications (DESIGN.md "Notification
// channels"): schemas/templates/<lang>/<kind>.json for every kind of
// notification a workflow or deadline emits, and <lang>/labels.json with
// the names people read for programs, states and roles. Mustache templates
// (kainjow/mustache, Debian's libkainjow-mustache-dev): {{name}} a value,
// {{#name}}...{{/name}} a part shown only when it has one.
//
// A template file is {"subject": T, "text": T, "chat": T}: the e-mail's
// subject and plain text (its HTML part is the text, escaped), and for the
// prompts alone (is_prompt) the markdown a unit's group robot posts. A chat
// text may use only the placeholders that say nothing of a result, so a
// person's total, tier or the reasons of a decision never reach a group.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "base/status.h"

namespace af::notice {

// Prompts ask someone to act and may go to a group chat: reminders,
// overdue escalations, a missing self review, a cycle left unfinished.
bool is_prompt(std::string_view kind);
// States whose name alone tells a result: an appeal (its result was
// disputed), its rescoring, a re-exam (a provisional certification). A
// prompt about a case in one of them goes to no group chat.
bool state_reveals_result(std::string_view state);

// Every placeholder a template may use, and those a chat text may use.
const std::set<std::string>& placeholders();
const std::set<std::string>& chat_placeholders();

struct rendered {
  std::string subject, text, html;
  std::string chat;  // markdown; empty unless the kind is a prompt
};

class template_set {
 public:
  // Loads DIR/LANG/*.json. Refused naming file and key: a file that is not
  // a JSON object of the keys above, a template Mustache cannot parse, a
  // placeholder not in placeholders() (a chat text: not in
  // chat_placeholders()), a prompt without "chat" or a chat text on a kind
  // that is no prompt, a labels.json without programs, states and roles.
  static result<template_set> load(const std::string& dir, const std::string& lang);

  // Ok when there is a template for every kind and a label for every
  // program, state and role; else the first missing, as "zh/KIND.json:
  // missing (a template for every kind of notification)" or "zh/labels.json:
  // states.NAME: missing".
  [[nodiscard]] status covers(const std::set<std::string>& kinds,
                              const std::set<std::string>& programs,
                              const std::set<std::string>& states,
                              const std::set<std::string>& roles) const;

  // The texts of one notification. `fields` holds the placeholders' values
  // (text, numbers or arrays of text; absent or null: no value); program,
  // state and role are ids, shown by their labels. NotFound for a kind
  // without a template.
  [[nodiscard]] result<rendered> render(const std::string& kind,
                                        const nlohmann::json& fields) const;

  [[nodiscard]] const std::string& language() const { return lang_; }

 private:
  struct texts {
    std::string subject, text, chat;
  };
  std::string lang_;
  std::map<std::string, texts> kinds_;
  std::map<std::string, std::map<std::string, std::string>> labels_;  // programs, states, roles
};

}  // namespace af::notice
