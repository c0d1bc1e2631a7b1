// fuzz/envelope.cpp: msg::decode() of arbitrary frames, as the engine and
// every worker receive them on the tasks socket (wire_format.md).
// Invariants: a frame that decodes re-encodes to exactly its bytes, and
// with any one bit flipped it no longer decodes (the CRC covers it all);
// an envelope built from the input encodes to a frame that decodes back
// to the same fields exactly when its type and version are known.
#include "messages/envelope.h"

#include "fuzz/fuzz_check.h"

namespace {

template <typename T>
T le(const std::uint8_t* p) {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<T>(p[i]) << (8 * i));
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace af::msg;
  std::string_view frame = af::fuzz::text_of(data, size);

  // 1. The input as a frame.
  auto decoded = decode(frame);
  af::fuzz::note(decoded ? "decodes as " + std::string(type_name(decoded->type))
                         : decoded.error().to_string());
  if (auto& e = decoded) {
    FUZZ_CHECK(encode(*e) == frame, "a decoded frame re-encodes differently");
    FUZZ_CHECK(
        current_version(e->type) != 0 && e->version >= 1 && e->version <= current_version(e->type),
        "decode accepted an unknown type or version");
    std::string flipped(frame);
    std::size_t bit = (size * 7919 + (size ? data[size - 1] : 0)) % (flipped.size() * 8);
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    FUZZ_CHECK(!decode(flipped),
               "a frame with bit " + std::to_string(bit) + " flipped still decodes");
  } else {
    FUZZ_CHECK(!e.error().message().empty(), "a refusal without a reason");
  }

  // 2. The input as an envelope's fields and body.
  if (size >= 20) {
    envelope e;
    e.type = static_cast<message_type>(le<std::uint16_t>(data));
    e.version = le<std::uint16_t>(data + 2);
    e.id = le<std::uint64_t>(data + 4);
    e.correlation_id = le<std::uint64_t>(data + 12);
    e.body.assign(frame.substr(20));
    std::string f = encode(e);
    FUZZ_CHECK(f.size() == header_size + e.body.size(), "encode wrote a frame of the wrong size");
    auto d = decode(f);
    bool known =
        current_version(e.type) != 0 && e.version >= 1 && e.version <= current_version(e.type);
    FUZZ_CHECK(static_cast<bool>(d) == known,
               "type " + std::to_string(static_cast<int>(e.type)) + " version " +
                   std::to_string(e.version) +
                   (known ? " is refused: " + d.error().message() : " decodes"));
    if (d)
      FUZZ_CHECK(d->type == e.type && d->version == e.version && d->id == e.id &&
                     d->correlation_id == e.correlation_id && d->body == e.body,
                 "an envelope does not decode to its own fields");
  }
  return 0;
}
