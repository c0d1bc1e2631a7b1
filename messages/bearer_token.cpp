#include "messages/bearer_token.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace af::msg {
namespace {

constexpr std::string_view prefix = "af_";
constexpr std::size_t random_bytes = 32;
constexpr std::size_t encoded_chars = 43;  // 32 bytes in unpadded base64

void ready() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
}

}  // namespace

std::string new_bearer_token() {
  ready();
  unsigned char bytes[random_bytes];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(random_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(prefix) + text;
}

std::string token_hash(std::string_view token) {
  ready();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool is_token_hash(std::string_view text) {
  return text.size() == 2 * crypto_hash_sha256_BYTES &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool looks_like_token(std::string_view text) {
  if (text.size() != prefix.size() + encoded_chars || text.substr(0, prefix.size()) != prefix)
    return false;
  return std::all_of(text.begin() + prefix.size(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

}  // namespace af::msg
