// bearer_token.h: the tokens that stand for a principal over HTTP
// (DESIGN.md "HTTP gateway and metrics"). A token is "af_" and 43
// characters of URL-safe base64 (32 random bytes); the engine keeps only
// token_hash(token), the SHA-256 of its text as 64 lowercase hex digits.
// 256 random bits need no slow password hash: nobody can guess one, and a
// leaked hash does not give the token back.
#pragma once

#include <string>
#include <string_view>

namespace af::msg {

// The longest token text a request may carry; longer is refused unread.
inline constexpr std::size_t max_token_chars = 128;

// A fresh token from the system's random source (libsodium).
std::string new_bearer_token();
// SHA-256 of the token's text, as 64 lowercase hex digits.
std::string token_hash(std::string_view token);
// 64 lowercase hex digits: the form token_hash gives.
bool is_token_hash(std::string_view text);
// "af_" and 43 URL-safe base64 characters: the form new_bearer_token gives.
bool looks_like_token(std::string_view text);

}  // namespace af::msg
