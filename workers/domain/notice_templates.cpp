#include "workers/domain/notice_templates.h"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <vector>

#include "base/markup.h"

namespace af::notice {
namespace {

namespace mu = kainjow::mustache;
using json = nlohmann::json;

// A context that answers every known placeholder with a value and
// remembers the names it did not know: how a template's placeholders are
// checked without a parser of our own.
class checking_context : public mu::basic_context<std::string> {
 public:
  explicit checking_context(const std::set<std::string>& known) : known_(known) {}
  void push(const mu::data* d) override { stack_.push_back(d); }
  void pop() override { stack_.pop_back(); }
  const mu::data* get(const std::string& name) const override {
    if (name == "." && !stack_.empty()) return stack_.back();
    if (known_.count(name)) return &value_;
    unknown_.insert(name);
    return nullptr;
  }
  const mu::data* get_partial(const std::string& name) const override {
    unknown_.insert(">" + name);
    return nullptr;
  }
  const std::set<std::string>& unknown() const { return unknown_; }

 private:
  const std::set<std::string>& known_;
  std::vector<const mu::data*> stack_;
  mu::data value_{std::string("x")};
  mutable std::set<std::string> unknown_;
};

std::string identity(const std::string& s) { return s; }

status check_text(const std::string& text, const std::set<std::string>& known,
                  const std::string& where, const char* why_unknown) {
  mu::mustache t{text};
  if (!t.is_valid()) return status::invalid(where + ": " + t.error_message());
  t.set_custom_escape(identity);
  checking_context ctx(known);
  t.render(ctx);
  if (!ctx.unknown().empty())
    return status::invalid(where + ": unknown placeholder {{" + *ctx.unknown().begin() + "}}" +
                           why_unknown);
  return status::ok();
}

result<json> read_object(const std::filesystem::path& path, const std::string& name) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  json j = json::parse(text.str(), nullptr, false);
  if (!in || j.is_discarded() || !j.is_object())
    return status::invalid(name + ": not a JSON object");
  return j;
}

result<std::map<std::string, std::map<std::string, std::string>>> read_labels(
    const std::filesystem::path& path, const std::string& name) {
  auto j = read_object(path, name);
  if (!j) return j.error();
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const char* group : {"programs", "states", "roles"}) {
    out[group];  // an empty group is a group without names, not a missing one
    if (!j->contains(group) || !(*j)[group].is_object())
      return status::invalid(name + ": " + group + ": must be an object of names");
    for (auto it = (*j)[group].begin(); it != (*j)[group].end(); ++it) {
      if (!it.value().is_string() || it.value().get<std::string>().empty())
        return status::invalid(name + ": " + group + "." + it.key() + ": must be a name");
      out[group][it.key()] = it.value().get<std::string>();
    }
  }
  return out;
}

// "2026-10-05T18:00:00+08:00" as "2026-10-05 18:00 (UTC+08:00)".
std::string deadline_text(const std::string& iso) {
  if (iso.size() < 25 || iso[10] != 'T') return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " (UTC" + iso.substr(19) + ")";
}

std::string value_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(2);
    s << v.get<double>();
    return s.str();
  }
  return v.dump();
}

// Escaped for HTML, each line break kept as <br>.
std::string html_escaped(const std::string& s) {
  std::string out;
  for (std::size_t start = 0;;) {
    auto nl = s.find('\n', start);
    out += markup_escaped(
        std::string_view(s).substr(start, nl == std::string::npos ? nl : nl - start));
    if (nl == std::string::npos) return out;
    out += "<br>\n";
    start = nl + 1;
  }
}

}  // namespace

bool is_prompt(std::string_view kind) {
  return kind == "deadline_reminder" || kind == "deadline_missed" ||
         kind == "self_review_missing" || kind == "cycle_unfinished";
}

bool state_reveals_result(std::string_view state) {
  return state == "appeal" || state == "rescoring" || state == "re_exam";
}

const std::set<std::string>& chat_placeholders() {
  static const std::set<std::string> safe = {"case",       "program",  "period",    "state",
                                             "deadline",   "employee", "recipient", "role",
                                             "waiting_on", "open",     "key"};
  return safe;
}

const std::set<std::string>& placeholders() {
  static const std::set<std::string> all = [] {
    std::set<std::string> s = chat_placeholders();
    s.insert({"employee_id", "total", "tier", "reason", "outcome"});
    return s;
  }();
  return all;
}

result<template_set> template_set::load(const std::string& dir, const std::string& lang) {
  namespace fs = std::filesystem;
  template_set set;
  set.lang_ = lang;
  fs::path root = fs::path(dir) / lang;
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    return status::not_found("templates: no directory " + root.string());
  auto labels = read_labels(root / "labels.json", lang + "/labels.json");
  if (!labels) return labels.error();
  set.labels_ = std::move(labels).value();
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (entry.path().extension() == ".json" && entry.path().filename() != "labels.json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::string kind = path.stem().string(), name = lang + "/" + path.filename().string();
    auto j = read_object(path, name);
    if (!j) return j.error();
    for (auto it = j->begin(); it != j->end(); ++it)
      if (it.key() != "subject" && it.key() != "text" && it.key() != "chat")
        return status::invalid(name + ": " + it.key() + ": unknown key (subject, text, chat)");
    texts t;
    for (auto [key, field] : {std::pair{"subject", &t.subject}, {"text", &t.text}}) {
      if (!j->contains(key) || !(*j)[key].is_string() || (*j)[key].get<std::string>().empty())
        return status::invalid(name + ": " + key + ": missing (a template text)");
      *field = (*j)[key].get<std::string>();
      if (status s = check_text(*field, placeholders(), name + ": " + key, ""); !s) return s;
    }
    if (t.subject.find('\n') != std::string::npos)
      return status::invalid(name + ": subject: must be one line");
    bool prompt = is_prompt(kind);
    if (prompt && (!j->contains("chat") || !(*j)["chat"].is_string()))
      return status::invalid(name +
                             ": chat: missing (a prompt is also posted to the unit's robot)");
    if (!prompt && j->contains("chat"))
      return status::invalid(name + ": chat: " + kind +
                             " is no prompt; a person's result never goes to a group chat");
    if (prompt) {
      t.chat = (*j)["chat"].get<std::string>();
      if (status s = check_text(t.chat, chat_placeholders(), name + ": chat",
                                " (a group chat sees no result)");
          !s)
        return s;
    }
    set.kinds_[kind] = std::move(t);
  }
  return set;
}

status template_set::covers(const std::set<std::string>& kinds,
                            const std::set<std::string>& programs,
                            const std::set<std::string>& states,
                            const std::set<std::string>& roles) const {
  for (const auto& k : kinds)
    if (!kinds_.count(k))
      return status::invalid(lang_ + "/" + k +
                             ".json: missing (a template for every kind of notification)");
  for (auto [group, names] :
       {std::pair{"programs", &programs}, {"states", &states}, {"roles", &roles}})
    for (const auto& n : *names)
      if (!labels_.at(group).count(n))
        return status::invalid(lang_ + "/labels.json: " + group + "." + n + ": missing");
  return status::ok();
}

result<rendered> template_set::render(const std::string& kind, const json& fields) const {
  auto t = kinds_.find(kind);
  if (t == kinds_.end())
    return status::not_found("no template for notification kind \"" + kind + "\" in " + lang_);
  auto data_of = [&](const std::set<std::string>& allowed, bool one_line) {
    mu::data d;
    for (const auto& name : allowed) {
      if (!fields.is_object() || !fields.contains(name) || fields[name].is_null()) continue;
      const json& v = fields[name];
      std::string group = name == "program" ? "programs"
                          : name == "state" ? "states"
                          : name == "role"  ? "roles"
                                            : "";
      auto clean = [&](std::string s) {
        if (one_line)
          for (char& c : s)
            if (c == '\n' || c == '\r') c = ' ';
        return s;
      };
      if (v.is_array()) {
        mu::data list{mu::data::type::list};
        for (const auto& e : v) list.push_back(mu::data{clean(value_text(e))});
        d.set(name, list);
      } else if (!group.empty()) {
        auto label = labels_.at(group).find(value_text(v));
        d.set(name, clean(label == labels_.at(group).end() ? value_text(v) : label->second));
      } else {
        d.set(name, clean(name == "deadline" ? deadline_text(value_text(v)) : value_text(v)));
      }
    }
    return d;
  };
  auto fill = [](const std::string& text, const mu::data& d) {
    mu::mustache m{text};
    m.set_custom_escape(identity);
    return m.render(d);
  };
  rendered out;
  mu::data all = data_of(placeholders(), false);
  out.subject = fill(t->second.subject, data_of(placeholders(), true));
  out.text = fill(t->second.text, all);
  out.html = "<!DOCTYPE html>\n<html lang=\"" + lang_ + "\"><head><meta charset=\"utf-8\"><title>" +
             html_escaped(out.subject) + "</title></head>\n<body><p>" + html_escaped(out.text) +
             "</p></body></html>\n";
  if (!t->second.chat.empty()) out.chat = fill(t->second.chat, data_of(chat_placeholders(), true));
  return out;
}

}  // namespace af::notice
