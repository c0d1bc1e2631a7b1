// org_commands.cpp: the organisation and who may reach the engine:
// assessctl org import, principals add|list|revoke|rotate and audit
// (DESIGN.md "Identity and access"). A principal's key pair and bearer
// token are made here, on the client: only the public key and the token's
// hash go to the engine; the secret is written to --out
// DIR/NAME.key_secret (0600 in a 0700 dir) and the token printed once.
#include <fmt/core.h>

#include <filesystem>

#include "messages/bearer_token.h"
#include "messages/curve_keys.h"
#include "tools/assessctl/commands.h"
#include "tools/assessctl/csv.h"
#include "tools/assessctl/render.h"

namespace af::tools::cli {
namespace {

// An organisation CSV's rows as org.import takes them; InvalidArgument
// naming the file (and line).
result<json> org_rows(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  auto rows = parse_csv(*text);
  if (!rows) return status::invalid(path + ": " + rows.error().message());
  auto out = org_import_rows(*rows);
  if (!out) return status::invalid(path + ": " + out.error().message());
  return *out;
}

int import_org(const global_options& g, const std::string& file) {
  auto rows = org_rows(file);
  if (!rows) return fail(rows.error().message());
  return call(g, {{"cmd", "org.import"}, {"rows", *rows}}, render_org_import);
}

// Refuses before anything is registered if DIR/NAME.key(_secret) exist.
int check_out_dir(const std::string& dir, const std::string& name) {
  std::error_code ec;
  for (const char* ext : {".key", ".key_secret"}) {
    std::string f = dir + "/" + name + ext;
    if (std::filesystem::exists(f, ec)) return fail(f + " already exists; give another --out DIR");
  }
  return 0;
}

// What a principal is given: a key pair written to `dir` (when given), a
// bearer token shown once (with `token`), or both.
struct credentials {
  std::string dir;
  bool token = false;
};

// Registers `request` (principals.add or .rotate) with fresh credentials,
// then writes the key pair and shows the token. On add a key is always
// registered (the principals table needs one); without --out its secret
// is not kept, and the principal can use only its token. Only the token's
// hash reaches the engine.
int register_credentials(const global_options& g, json request, const std::string& name,
                         const credentials& c, const std::string& verb) {
  if (!c.dir.empty())
    if (int rc = check_out_dir(c.dir, name)) return rc;
  std::optional<af::msg::key_pair> pair;
  if (!c.dir.empty() || request["cmd"] == "principals.add") {
    auto made = af::msg::make_key_pair();
    if (!made) return fail(made.error());
    pair = *made;
    request["public_key"] = pair->public_key;
  }
  std::string token;
  if (c.token) {
    token = af::msg::new_bearer_token();
    request["token_hash"] = af::msg::token_hash(token);
  }
  auto client = connect_admin(g, g.timeout_s);
  if (!client) return fail(client.error());
  auto reply = (*client)->call(request);
  if (!reply) return fail(reply.error());
  if (reply->value("ok", false) && c.token) (*reply)["token"] = token;
  return print_reply(g, request, *reply, [&](const json& r) -> std::string {
    std::string out = fmt::format("{} {}\n", verb, name);
    if (!c.dir.empty()) {
      if (status s = af::msg::write_certificates(c.dir, name, *pair); !s)
        return fmt::format(
            "{} {}, but its key files could not be written ({}): revoke it and try again\n", verb,
            name, s.message());
      out +=
          fmt::format("key pair: {}/{}.key and {}/{}.key_secret (keep the secret file private)\n",
                      c.dir, name, c.dir, name);
    }
    if (c.token)
      out += fmt::format("token: {}\n(shown once: the engine keeps only its hash)\n", token);
    return out + render_principal(r);
  });
}

struct principal_options {
  std::string name, person, services;
  credentials made;
};

int add_principal(const global_options& g, const principal_options& o) {
  if (o.person.empty() == o.services.empty())
    return fail("give either --person EMPLOYEE_ID or --service CAP[,CAP...]", 2);
  if (o.made.dir.empty() && !o.made.token)
    return fail("give --out DIR (a key pair), --token (a bearer token for HTTP) or both", 2);
  json request{{"cmd", "principals.add"}, {"name", o.name}};
  if (!o.person.empty())
    request["person"] = o.person;
  else
    request["services"] = o.services;
  return register_credentials(g, request, o.name, o.made, "registered");
}

void add_principal_add(CLI::App& principals, const global_options& g, int& code) {
  static principal_options o;
  auto* add = add_command(principals, "add",
                          "Register a principal: a key pair made here (--out), a bearer token "
                          "(--token), or both");
  add->add_option("NAME", o.name, "Principal name: 1..64 of A-Z a-z 0-9 . _ -")->required();
  auto* as_person = add->add_option("--person", o.person, "The employee id this person acts as");
  auto* as_service = add->add_option(
      "--service", o.services,
      "Capabilities: ingest, worker:scoring, worker:targets, worker:notify, portal, "
      "observer, admin, gateway (comma-separated)");
  as_person->excludes(as_service);
  add->add_option("--out", o.made.dir, "Directory for NAME.key and NAME.key_secret");
  add->add_flag("--token", o.made.token,
                "Also print a bearer token for the HTTP gateway (shown once)");
  add->callback([&] { code = add_principal(g, o); });
}

void add_principal_revoke(CLI::App& principals, const global_options& g, int& code) {
  static std::string name;
  auto* revoke =
      add_command(principals, "revoke", "Refuse a principal's key from its next message on");
  revoke->add_option("NAME", name, "Principal name")->required();
  revoke->callback([&] {
    code = call(g, {{"cmd", "principals.revoke"}, {"name", name}}, render_revoked);
  });
}

void add_principal_rotate(CLI::App& principals, const global_options& g, int& code) {
  static std::string name;
  static credentials made;
  auto* rotate = add_command(
      principals, "rotate",
      "A new key pair (--out) or bearer token (--token) for the same principal; the old one "
      "is refused");
  rotate->add_option("NAME", name, "Principal name")->required();
  rotate->add_option("--out", made.dir, "Directory for the new NAME.key and NAME.key_secret");
  rotate->add_flag("--token", made.token, "A new bearer token, printed once");
  rotate->callback([&] {
    if (made.dir.empty() && !made.token) {
      code = fail("give --out DIR (a new key pair), --token (a new bearer token) or both", 2);
      return;
    }
    code = register_credentials(g, {{"cmd", "principals.rotate"}, {"name", name}}, name, made,
                                "rotated");
  });
}

}  // namespace

void add_org_command(CLI::App& app, const global_options& g, int& code) {
  static std::string file;
  auto* org = add_group(app, "org", "Organisation");
  auto* import = add_command(*org, "import", "Import or update employees from CSV");
  import
      ->add_option("FILE", file,
                   "CSV with header id,name,unit,grade,supervisor_id,hrbp_id,joined_on,roles")
      ->required();
  import->callback([&] { code = import_org(g, file);
});
}  // namespace af::tools::cli

void add_principals_command(CLI::App& app, const global_options& g, int& code) {
  auto* principals =
      add_group(app, "principals", "Key holders: people and services that may reach the engine");
  add_principal_add(*principals, g, code);
  add_command(*principals, "list", "Every principal, revoked ones too")->callback([&] {
    code = call(g, {{"cmd", "principals.list"}}, render_principals);
  });
  add_principal_revoke(*principals, g, code);
  add_principal_rotate(*principals, g, code);
}

void add_audit_command(CLI::App& app, const global_options& g, int& code) {
  static std::string since, principal;
  static long long limit = 1000;
  auto* audit = add_command(app, "audit", "Refused requests: who, when, where, what and why");
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
