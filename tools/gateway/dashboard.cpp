#include "tools/gateway/dashboard.h"

#include <memory>

#include "messages/bearer_token.h"
#include "tools/gateway/dashboard_pages.h"
#include "tools/gateway/request_builder.h"

namespace af::gateway {

namespace http = boost::beast::http;

namespace {

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

// The decoded value of `name` in a query or form body; empty when absent or malformed.
std::string form_value(std::string_view text, std::string_view name) {
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    auto v = percent_decode(pair.substr(eq + 1), true);
    return v ? *v : std::string();
  }
  return {};
}

http_reply html(unsigned status, std::string body) {
  http_reply r{status, "text/html", std::move(body), {}};
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                         "frame-ancestors 'none'; base-uri 'none'");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "same-origin");  // a same-origin form keeps its Origin
  return r;
}

http_reply redirect(const std::string& to) {
  http_reply r = html(303, "");
  r.headers.emplace_back("Location", to);
  return r;
}

std::string cookie(const std::string& value, bool tls, int max_age) {
  return std::string(session_cookie) + "=" + value +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
         (tls ? "; Secure" : "");
}

// Sends every request with the token; `done` gets the replies in order.
// Should `done` throw (a reply of a shape no page expects), `answer` gets a
// 500 page instead: every request is answered, and the engine link lives on.
void ask_all(engine_link& engine, const std::string& token, std::vector<msg::json> requests,
             page_lang l, respond answer, std::function<void(std::vector<engine_reply>)> done) {
  struct state {
    std::vector<engine_reply> replies;
    std::size_t left;
    page_lang l;
    respond answer;
    std::function<void(std::vector<engine_reply>)> done;
  };
  auto s = std::make_shared<state>();
  s->replies.resize(requests.size());
  s->left = requests.size();
  s->l = l;
  s->answer = std::move(answer);
  s->done = std::move(done);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    requests[i]["token"] = token;
    engine.request(requests[i], [s, i](engine_reply r) {
      s->replies[i] = std::move(r);
      if (--s->left != 0) return;
      try {
        s->done(std::move(s->replies));
      } catch (const std::exception&) {
        s->answer(
            html(500, error_page(s->l, 500, "this page could not be shown; nothing was changed")));
      }
    });
  }
}

std::string lang_suffix(page_lang l) { return l == page_lang::en ? "?lang=en" : ""; }

// What a refused admin request becomes: sign in again, or an error page.
http_reply refused(page_lang l, const engine_reply& r, bool tls) {
  int status = http_status_of(r.body);
  if (status == 401) {
    http_reply out = redirect("/login" + lang_suffix(l));
    out.headers.emplace_back("Set-Cookie", cookie("", tls, 0));
    out.token_refused = true;  // counts against the peer all the same (token_guard.h)
    return out;
  }
  return html(static_cast<unsigned>(status),
              error_page(l, static_cast<unsigned>(status), r.body.value("error", "?")));
}

bool ok(const engine_reply& r) { return r.body.value("ok", false); }

// A page rendered, or a 500 page if rendering fails (a bug must cost one
// page, never the gateway).
template <class F>
http_reply rendered(page_lang l, F&& render) {
  try {
    return html(200, render());
  } catch (const std::exception&) {
    return html(500, error_page(l, 500, "this page could not be shown; nothing was changed"));
  }
}

// {"cmd": CMD} or {"cmd": CMD, FIELD: VALUE} (spelled out: nested braces
// would make nlohmann's initializer lists build arrays).
msg::json command(const char* cmd, const char* field = nullptr, msg::json value = {}) {
  msg::json r = msg::json::object();
  r["cmd"] = cmd;
  if (field) r[field] = std::move(value);
  return r;
}

}  // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    auto part = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name)
      return std::string(part.substr(eq + 1));
  }
  return {};
}

void dashboard::handle(const http_request& req, const peer_info& peer, const route_match& m,
                       std::string_view query, respond answer) {
  page_lang l = lang_of(form_value(query, "lang"));
  std::string_view name = m.matched->name;
  if (name == "page.login") return answer(html(200, signin_page(l, "")));
  if (name == "page.login.submit") return sign_in(req, peer, query, std::move(answer));
  if (name == "page.logout") {
    http_reply out = redirect("/login" + lang_suffix(l));
    out.headers.emplace_back("Set-Cookie", cookie("", peer.tls, 0));
    return answer(std::move(out));
  }
  std::string token = cookie_value(sv(req[http::field::cookie]), session_cookie);
  if (!msg::looks_like_token(token)) return answer(redirect("/login" + lang_suffix(l)));
  // The path's id, checked as the REST routes check theirs.
  auto fields = admin_request(m, "", "");
  if (!fields) return answer(html(400, error_page(l, 400, fields.error().message())));
  bool tls = peer.tls;
  if (name == "page.cycles")
    return ask_all(engine_, token, {command("cycles")}, l, answer,
                   [l, tls, answer](std::vector<engine_reply> r) {
                     if (!ok(r[0])) return answer(refused(l, r[0], tls));
                     answer(rendered(l, [&] { return cycles_page(l, r[0].body); }));
                   });
  if (name == "page.case")
    return ask_all(engine_, token, {command("case.show", "case", (*fields)["case"])}, l, answer,
                   [l, tls, answer](std::vector<engine_reply> r) {
                     if (!ok(r[0])) return answer(refused(l, r[0], tls));
                     answer(rendered(l, [&] { return case_page(l, r[0].body); }));
                   });
  if (name == "page.cycle")
    return cycle(token, (*fields)["cycle"].get<long long>(), l, tls, std::move(answer));
  answer(html(404, error_page(l, 404, "no such page")));
}

void dashboard::sign_in(const http_request& req, const peer_info& peer, std::string_view query,
                        respond answer) {
  page_lang l = lang_of(form_value(query, "lang"));
  // A form posted from another site is refused (SameSite covers the cookie, not the sign-in).
  std::string_view origin = sv(req[http::field::origin]);
  std::string_view host = sv(req[http::field::host]);
  // "null" is what sandboxed frames and other opaque origins send.
  auto scheme_end = origin.find("://");
  if (!origin.empty() &&
      (scheme_end == std::string_view::npos || origin.substr(scheme_end + 3) != host))
    return answer(html(403, error_page(l, 403, "sign-in from another site refused")));
  std::string token = form_value(req.body(), "token");
  if (!msg::looks_like_token(token))
    return answer(
        html(400, signin_page(l, l == page_lang::en ? "That is not a token of assessflow (af_...)."
                                                    : "这不是 assessflow 的令牌（af_...）。")));
  bool tls = peer.tls;
  ask_all(engine_, token, {command("cycles")}, l, answer,
          [l, tls, token, answer](std::vector<engine_reply> r) {
            if (!ok(r[0])) {
              bool unknown = http_status_of(r[0].body) == 401;
              std::string why =
                  unknown ? (l == page_lang::en
                                 ? "The engine does not know this token (revoked or rotated?)."
                                 : "引擎不认识此令牌（已吊销或已更换？）。")
                          : r[0].body.value("error", "?");
              http_reply out = html(unknown ? 401 : 503, signin_page(l, why));
              out.token_refused = unknown;
              return answer(std::move(out));
            }
            http_reply out = redirect("/" + lang_suffix(l));
            out.headers.emplace_back("Set-Cookie", cookie(token, tls, 8 * 3600));
            answer(std::move(out));
          });
}

void dashboard::all_cases(const std::string& token, long long cycle, msg::json acc, long long after,
                          page_lang l, const respond& answer,
                          std::function<void(engine_reply)> done) {
  msg::json req{{"cmd", "cases"}, {"cycle", cycle}, {"limit", 10000}};
  if (after > 0) req["after"] = after;
  ask_all(engine_, token, {req}, l, answer,
          [this, token, cycle, after, l, answer, acc = std::move(acc),
           done](std::vector<engine_reply> r) mutable {
            if (!ok(r[0])) return done(std::move(r[0]));
            for (auto& c : r[0].body["cases"]) acc.push_back(std::move(c));
            const msg::json& next = r[0].body.value("next_after", msg::json());
            // At most max_page_cases on one page, and only while the pages move on.
            if (next.is_number_integer() && next.get<long long>() > after &&
                acc.size() < max_page_cases)
              return all_cases(token, cycle, std::move(acc), next.get<long long>(), l, answer,
                               done);
            done({msg::json{{"ok", true}, {"cases", std::move(acc)}}, ""});
          });
}

void dashboard::cycle(const std::string& token, long long id, page_lang l, bool tls,
                      respond answer) {
  all_cases(
      token, id, msg::json::array(), 0, l, answer,
      [this, token, id, l, tls, answer](engine_reply cases) {
        if (!ok(cases)) return answer(refused(l, cases, tls));
        ask_all(
            engine_, token,
            {command("cycles"), command("overdue"), command("report", "cycle", msg::json(id))}, l,
            answer, [id, l, tls, answer, cases = std::move(cases)](std::vector<engine_reply> r) {
              if (!ok(r[0])) return answer(refused(l, r[0], tls));
              msg::json cycle;
              for (const auto& c : r[0].body["cycles"])
                if (c.value("id", 0LL) == id) cycle = c;
              if (cycle.is_null())  // none of its cases is the reader's to see
                return answer(
                    html(404, error_page(l, 404, "cycle " + std::to_string(id) + ": not found")));
              auto optional = [](const engine_reply& e) { return ok(e) ? e.body : msg::json(); };
              answer(rendered(l, [&] {
                return cycle_page(l, cycle, cases.body["cases"], optional(r[1]), optional(r[2]));
              }));
            });
      });
}

}  // namespace af::gateway
