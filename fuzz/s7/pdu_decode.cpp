// Fuzz target: decode_pdu on raw bytes (what a client does with each response payload).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "s7/pdu.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto pdu = s7::decode_pdu(s7::ByteView(data, size));
  if (!pdu) return 0;
  // What a client reads from a decoded answer must stay inside the input.
  std::size_t total = 0;
  if (const auto* r = std::get_if<s7::ReadResponse>(&pdu->body))
    for (const auto& it : r->items) total += it.data.size();
  if (const auto* z = std::get_if<s7::SzlResponse>(&pdu->body))
    total += s7::szl_raw_payload(*z).size();
  if (total > size) std::abort();
  // Re-encoding is stable: decode(encode(p)) has the same body and encodes to the same bytes.
  const s7::Bytes enc = s7::encode_pdu(*pdu);
  auto again = s7::decode_pdu(enc);
  if (!again || !(again->body == pdu->body) || s7::encode_pdu(*again) != enc) std::abort();
  return 0;
}
