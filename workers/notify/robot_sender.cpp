#include "workers/notify/robot_sender.h"

#include <curl/curl.h>

#include <algorithm>

namespace af::worker {
namespace {

constexpr std::size_t max_answer = 64 * 1024;  // a robot answers a few dozen bytes

struct slist {
  curl_slist* list = nullptr;
  ~slist() { curl_slist_free_all(list); }
  void add(const std::string& line) {
    if (curl_slist* l = curl_slist_append(list, line.c_str())) list = l;
  }
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  std::size_t bytes = size * n;
  if (body->size() < max_answer) body->append(data, std::min(bytes, max_answer - body->size()));
  return bytes;  // the rest is read and dropped
}

}  // namespace

robot_sender::robot_sender(robot_sender_config cfg) : cfg_(cfg), curl_(curl_easy_init()) {}

robot_sender::~robot_sender() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

delivery robot_sender::post(const robot& r, const std::string& json_body, std::int64_t now_ms) {
  const std::string who = kind_name(r.type);
  if (status s = check_robot_url(r.url); !s) return delivery::refused(who + ": " + s.message());
  if (!curl_) return delivery::retry(who + ": libcurl: could not make a handle");
  std::string url = r.type == robot::kind::dingtalk && !r.secret.empty()
                        ? dingtalk_signed_url(r.url, r.secret, now_ms)
                        : r.url;
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // options only: the connection to the robot is kept
  std::string answer;
  slist headers;
  headers.add("Content-Type: application/json");
  headers.add("Expect:");  // no 100-continue round trip for a longer body
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cfg_.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cfg_.timeout_ms);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, json_body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json_body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  CURLcode rc = curl_easy_perform(c);
  long http_status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http_status);
  curl_easy_reset(c);  // nothing left pointing at this call's URL, body and headers
  if (rc != CURLE_OK) return delivery::retry(who + ": " + curl_easy_strerror(rc));
  return robot_answer(r.type, http_status, answer);
}

}  // namespace af::worker
