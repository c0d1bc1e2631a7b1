#include "tools/gateway/service.h"

#include "messages/bearer_token.h"
#include "tools/gateway/openapi.h"
#include "tools/gateway/request_builder.h"

namespace af::gateway {

namespace http = boost::beast::http;

namespace {

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

const std::pair<std::string, std::string> challenge{"WWW-Authenticate",
                                                    "Bearer realm=\"assessflow\""};

http_reply unauthenticated(const std::string& why) {
  auto r = json_error_reply(401, why, "forbidden");
  r.headers.push_back(challenge);
  return r;
}

std::string allowed_list(const route_match& m) {
  std::string out;
  for (auto method : m.allowed) out += (out.empty() ? "" : ", ") + std::string(method);
  return out;
}

}  // namespace

std::string bearer_token_of(const http_request& req) {
  std::string_view header = sv(req[http::field::authorization]);
  constexpr std::string_view scheme = "Bearer ";
  if (header.size() <= scheme.size()) return {};
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i])))
      return {};
  std::string token(header.substr(scheme.size()));
  return msg::looks_like_token(token) ? token : std::string();
}

gateway_service::gateway_service(engine_link& engine, gateway_metrics* metrics)
    : engine_(engine),
      metrics_(metrics),
      pages_(engine),
      openapi_text_(openapi_document().dump(2) + "\n") {}

void gateway_service::handle(const http_request& req, const peer_info& peer, respond given) {
  auto ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  // The token the request carries (header or dashboard cookie), if any.
  std::string token = bearer_token_of(req);
  if (token.empty()) token = cookie_value(sv(req[http::field::cookie]), session_cookie);
  std::string token_key = msg::looks_like_token(token) ? msg::token_hash(token) : std::string();
  // Refused tokens count against the peer (token_guard.h): one the engine
  // refused, or garbage credentials in the header or the sign-in form.
  bool carries = !req[http::field::authorization].empty() ||
                 (req.method() == http::verb::post && sv(req.target()).rfind("/login", 0) == 0);
  // While a peer is held off, a token the engine accepted before still passes:
  // behind one loopback address (no TLS, or a local proxy) are many users.
  std::int64_t wait = guard_.wait_ms(peer.address, ms());
  if (wait > 0 && (token_key.empty() || !trusted_.count(token_key))) {
    auto seconds = std::to_string((wait + 999) / 1000);
    auto r = json_error_reply(
        429, "too many refused tokens from " + peer.address + "; retry in " + seconds + " s",
        "forbidden");
    r.headers.emplace_back("Retry-After", seconds);
    if (metrics_) metrics_->refused(429);
    return given(std::move(r));
  }
  // The route's name is known once routing ran; the answer may come later.
  auto name = std::make_shared<std::string_view>("none");
  auto start = std::chrono::steady_clock::now();
  respond answer = [this, ms, carries, name, start, token_key, address = peer.address,
                    given = std::move(given)](http_reply r) {
    if (r.token_refused || (r.status == 401 && carries)) guard_.refused(address, ms());
    bool reached_engine = *name != "none" && *name != "openapi" && *name != "metrics";
    if (r.status == 200 && reached_engine && !token_key.empty()) {
      if (trusted_.size() >= 10000) trusted_.clear();  // bounded
      trusted_.insert(token_key);
    }
    if (metrics_) metrics_->record(*name, r.status, std::chrono::steady_clock::now() - start);
    given(std::move(r));
  };
  route_request(req, peer, *name, std::move(answer));
}

void gateway_service::route_request(const http_request& req, const peer_info& peer,
                                    std::string_view& route_name, respond answer) {
  std::string_view target = sv(req.target());
  auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  std::string_view method = sv(req.method_string());

  auto m = find_route(method, path);
  if (!m.matched) {
    if (m.allowed.empty()) {
      auto shown = msg::utf8_prefix(path, 200, "the path");
      return answer(json_error_reply(
          404,
          "no route " + std::string(method) + " " + shown + " (GET /v1/openapi.json lists them)",
          "not_found"));
    }
    auto r = json_error_reply(
        405, std::string(method) + " is not allowed here; use " + allowed_list(m), "invalid");
    r.headers.emplace_back("Allow", allowed_list(m));
    return answer(std::move(r));
  }
  const route& r = *m.matched;
  route_name = r.name;
  if (r.kind == route_kind::openapi) return answer({200, "application/json", openapi_text_, {}});
  if (r.kind == route_kind::page) return pages_.handle(req, peer, m, query, std::move(answer));
  if (r.kind == route_kind::metrics)
    return answer({200, "text/plain; version=0.0.4", metrics_ ? metrics_->scrape() : "", {}});

  if (req[http::field::authorization].empty())
    return answer(unauthenticated(
        "Authorization: missing; send Authorization: Bearer TOKEN (assessctl principals add NAME "
        "... --token makes one)"));
  std::string token = bearer_token_of(req);
  if (token.empty())
    return answer(
        unauthenticated("Authorization: not a bearer token of assessflow (Bearer af_...)"));

  auto request = admin_request(m, query, req.body());
  if (!request) return answer(json_error_reply(400, request.error().message(), "invalid"));
  (*request)["token"] = std::move(token);
  engine_.request(*request, [answer = std::move(answer)](engine_reply reply) {
    int status = http_status_of(reply.body);
    if (status == 401) {
      reply.body.erase("token_refused");
      http_reply out{401, "application/json", msg::dump_fixed2(reply.body) + "\n", {challenge}};
      out.token_refused = true;
      return answer(std::move(out));
    }
    answer({static_cast<unsigned>(status), "application/json", std::move(reply.text) + "\n", {}});
  });
}

}  // namespace af::gateway
