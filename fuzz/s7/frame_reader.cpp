// Fuzz target: FrameReader over arbitrarily chunked input, then decode/re-encode each S7 PDU.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "s7/frame.hpp"
#include "s7/pdu.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// A decoded PDU must re-encode to bytes that decode to the same body and re-encode identically.
void round_trip_pdu(const s7::Bytes& payload) {
  auto pdu = s7::decode_pdu(payload);
  if (!pdu) return;
  const s7::Bytes enc = s7::encode_pdu(*pdu);
  auto again = s7::decode_pdu(enc);
  check(again.ok());
  check(again->body == pdu->body);
  check(again->header.ref == pdu->header.ref && again->header.rosctr == pdu->header.rosctr);
  check(s7::encode_pdu(*again) == enc);
}

// A control frame must re-encode to one frame that reads back equal.
template <class F>
void round_trip_frame(const F& f) {
  s7::FrameReader r;
  r.feed(s7::encode_frame(f));
  auto back = r.next();
  check(back.ok() && back->has_value());
  check(std::get<F>(**back) == f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // First byte: chunk size 1..64 used to cut the rest of the input into feed() calls.
  const std::size_t chunk = static_cast<std::size_t>(data[0] % 64) + 1;
  const s7::ByteView input(data + 1, size - 1);
  s7::FrameReader reader(4096);
  for (std::size_t off = 0; off < input.size(); off += chunk) {
    reader.feed(input.subspan(off, std::min(chunk, input.size() - off)));
    while (true) {
      auto next = reader.next();
      if (!next) {
        check(!reader.next().ok());  // errors are sticky
        return 0;
      }
      if (!next->has_value()) break;
      const s7::Frame& f = **next;
      if (const auto* d = std::get_if<s7::CotpData>(&f)) {
        check(!d->payload.empty() && d->payload.size() <= 4096);
        round_trip_pdu(d->payload);
      } else if (const auto* c = std::get_if<s7::CotpConnect>(&f)) {
        round_trip_frame(*c);
      } else {
        round_trip_frame(std::get<s7::CotpDisconnect>(f));
      }
    }
    check(reader.buffered() <= input.size());
  }
  return 0;
}
