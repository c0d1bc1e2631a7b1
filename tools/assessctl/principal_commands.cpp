// principal_commands.cpp: assessctl principals add|list|revoke|rotate and
// assessctl audit (DESIGN.md "Identity and access"). A key pair is made
// here, on the client: only its public key goes to the engine, and the
// secret is written to --out DIR/NAME.key_secret (0600 in a 0700 dir).
#include <fmt/core.h>

#include <filesystem>

#include "messages/curve_keys.h"
#include "tools/assessctl/cli.h"
#include "tools/assessctl/render.h"

namespace af::tools::cli {
namespace {

// Refuses before anything is registered if DIR/NAME.key(_secret) exist.
int check_out_dir(const std::string& dir, const std::string& name) {
  std::error_code ec;
  for (const char* ext : {".key", ".key_secret"}) {
    std::string f = dir + "/" + name + ext;
    if (std::filesystem::exists(f, ec)) return fail(f + " already exists; give another --out DIR");
  }
  return 0;
}

// Registers a fresh public key with `request` (principals.add or
// .rotate), then writes the pair to DIR.
int register_new_key(const global_options& g, json request, const std::string& name,
                     const std::string& dir, const std::string& verb) {
  if (int rc = check_out_dir(dir, name)) return rc;
  auto pair = af::msg::make_key_pair();
  if (!pair) return fail(pair.error());
  request["public_key"] = pair->public_key;
  return call(g, request, [&](const json& reply) -> std::string {
    if (status s = af::msg::write_certificates(dir, name, *pair); !s)
      return fmt::format(
          "{} {}, but its key files could not be written ({}): revoke it and try again\n", verb,
          name, s.message());
    return fmt::format(
        "{} {}\nkey pair: {}/{}.key and {}/{}.key_secret (keep the secret file private)\n{}", verb,
        name, dir, name, dir, name, render_principal(reply));
  });
}

}  // namespace

void add_principal_commands(CLI::App& app, const global_options& g, int& code) {
  static std::string name, person, services, out_dir, since, principal;
  static long long limit = 1000;
  auto* principals =
      app.add_subcommand("principals", "Key holders: people and services that may reach the engine")
          ->require_subcommand(1)
          ->fallthrough();

  auto* add = principals->add_subcommand("add", "Make a key pair here and register its public key")
                  ->fallthrough();
  add->add_option("NAME", name, "Principal name: 1..64 of A-Z a-z 0-9 . _ -")->required();
  auto* as_person = add->add_option("--person", person, "The employee id this person acts as");
  auto* as_service = add->add_option(
      "--service", services,
      "Capabilities: ingest, worker:scoring, worker:targets, worker:notify, portal, "
      "observer, admin, gateway (comma-separated)");
  as_person->excludes(as_service);
  add->add_option("--out", out_dir, "Directory for NAME.key and NAME.key_secret")->required();
  add->callback([&] {
    if (person.empty() == services.empty()) {
      code = fail("give either --person EMPLOYEE_ID or --service CAP[,CAP...]", 2);
      return;
    }
    json request{{"cmd", "principals.add"}, {"name", name}};
    if (!person.empty())
      request["person"] = person;
    else
      request["services"] = services;
    code = register_new_key(g, request, name, out_dir, "registered");
  });

  principals->add_subcommand("list", "Every principal, revoked ones too")
      ->fallthrough()
      ->callback([&] {
        code = call(g, {{"cmd", "principals.list"}}, render_principals);
      });

  auto* revoke =
      principals->add_subcommand("revoke", "Refuse a principal's key from its next message on")
          ->fallthrough();
  revoke->add_option("NAME", name, "Principal name")->required();
  revoke->callback([&] {
    code = call(g, {{"cmd", "principals.revoke"}, {"name", name}}, render_revoked);
  });

  auto* rotate = principals
                     ->add_subcommand(
                         "rotate", "A new key pair for the same principal; the old key is refused")
                     ->fallthrough();
  rotate->add_option("NAME", name, "Principal name")->required();
  rotate->add_option("--out", out_dir, "Directory for the new NAME.key and NAME.key_secret")
      ->required();
  rotate->callback([&] {
    code = register_new_key(g, {{"cmd", "principals.rotate"}, {"name", name}}, name, out_dir,
                            "rotated");
  });

  auto* audit = app.add_subcommand("audit", "Refused requests: who, when, where, what and why")
                    ->fallthrough();
  audit->add_option("--since", since, "From this ISO 8601 instant or date on");
  audit->add_option("--principal", principal, "Only this principal's");
  audit->add_option("--limit", limit, "At most this many (the newest)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  audit->callback([&] {
    json request{{"cmd", "audit"}, {"limit", limit}};
    if (!since.empty()) request["since"] = since;
    if (!principal.empty()) request["principal"] = principal;
    code = call(g, request, render_audit);
  });
}

}  // namespace af::tools::cli
