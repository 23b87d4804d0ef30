// Fuzz target: Sparkplug B payloads as NCMD/DCMD arrive from the broker (decode_payload, then
// is_rebirth_request): any bytes give a payload or an invalid_argument error, never a crash; a
// decoded payload encodes again and decodes to the same metric names and types.
#include <cstddef>
#include <cstdint>
#include <span>

#include "sinks/mqtt/sparkplug.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace spb = sinks::sparkplug;
  auto d = spb::decode_payload(std::span<const std::uint8_t>(data, size));
  if (!d) {
    if (!d.error().is(s7::Errc::invalid_argument)) __builtin_trap();
    return 0;
  }
  (void)spb::is_rebirth_request(*d);
  const auto again = spb::encode_payload(d->timestamp_ms.value_or(0), d->seq, d->metrics);
  auto back = spb::decode_payload(again);
  if (!back || back->metrics.size() != d->metrics.size()) __builtin_trap();
  for (std::size_t i = 0; i < d->metrics.size(); ++i) {
    if (back->metrics[i].name != d->metrics[i].name) __builtin_trap();
    if (back->metrics[i].type != d->metrics[i].type) __builtin_trap();
  }
  return 0;
}
