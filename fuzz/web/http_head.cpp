// Fuzz target: the live page's request-head parser and the gate's checks (any bytes must give a
// head or a refusal with a status, never crash; a parsed head's path starts its target, and a
// body past the limit is always refused).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/http_limits.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  web::HttpRefusal refusal;
  auto head = web::parse_request_head(text, refusal);
  if (!head) {
    if (refusal.status < 400 || refusal.status > 599) __builtin_trap();
    return 0;
  }
  if (head->target.rfind(head->path, 0) != 0) __builtin_trap();
  const web::HttpLimits limits;
  auto refused = web::refuse_request(*head, limits, "127.0.0.1");
  const bool too_big = head->transfer_encoding || head->content_length > limits.max_body_bytes;
  if (too_big && (!refused || refused->status != 413)) __builtin_trap();
  return 0;
}
