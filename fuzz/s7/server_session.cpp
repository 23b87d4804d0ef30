// Fuzz target: a ServerSession fed arbitrary bytes; every answer must decode and fit the PDU.
//
// Input layout: byte 0 = mode (bit 0: prepend a valid CR + setup communication; bits 1..6:
// chunk size - 1 for feeding the rest), then the TCP stream from the client.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <variant>

#include "s7/frame.hpp"
#include "s7/pdu.hpp"
#include "s7/server.hpp"

namespace {

const std::uint8_t kPrefix[] = {
    // CR (C0, C1, C2; rack 0 slot 1)
    0x03, 0x00, 0x00, 0x16, 0x11, 0xE0, 0x00, 0x00, 0x00, 0x01, 0x00, 0xC0, 0x01, 0x0A, 0xC1, 0x02,
    0x01, 0x00, 0xC2, 0x02, 0x01, 0x01,
    // setup communication: AmQ 8/8, PDU 960
    0x03, 0x00, 0x00, 0x19, 0x02, 0xF0, 0x80, 0x32, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,
    0x00, 0xF0, 0x00, 0x00, 0x08, 0x00, 0x08, 0x03, 0xC0};

void check(bool ok) {
  if (!ok) std::abort();
}

// Every answer frame must parse, and every S7 answer must decode and fit the PDU limit.
void check_answers(const s7::Bytes& out, std::size_t pdu_limit) {
  s7::FrameReader reader;
  reader.feed(out);
  for (;;) {
    auto next = reader.next();
    check(next.ok());
    if (!next->has_value()) break;
    if (auto* dt = std::get_if<s7::CotpData>(&**next)) {
      check(dt->payload.size() <= pdu_limit);
      check(s7::decode_pdu(dt->payload).ok());
    }
  }
  check(reader.buffered() == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static s7::MemoryStore* memory = [] {
    auto* m = new s7::MemoryStore;
    m->add_area({s7::Area::db, 1}, 64);
    m->add_area({s7::Area::db, 2}, 600);
    m->add_area({s7::Area::merkers, 0}, 256);
    m->add_area({s7::Area::inputs, 0}, 16);
    m->add_area({s7::Area::timers, 0}, 64);
    m->add_read_only({s7::Area::db, 1}, 11, 1);
    return m;
  }();
  s7::ServerOptions options;
  options.max_pdu = 480;
  s7::ServerControl control;
  s7::ServerHooks hooks;
  s7::ServerSession session(*memory, options, control, hooks);

  const std::uint8_t mode = data[0];
  const std::size_t chunk = static_cast<std::size_t>((mode >> 1) & 0x3F) + 1;
  s7::Bytes stream;
  if ((mode & 1) != 0) stream.assign(std::begin(kPrefix), std::end(kPrefix));
  stream.insert(stream.end(), data + 1, data + size);

  s7::Bytes out;
  for (std::size_t pos = 0; pos < stream.size(); pos += chunk) {
    const std::size_t n = std::min(chunk, stream.size() - pos);
    const std::size_t pdu_before = session.negotiated_pdu();
    out.clear();
    const bool open = session.feed(s7::ByteView(stream.data() + pos, n), out);
    check_answers(out, std::max<std::size_t>(pdu_before, session.negotiated_pdu()));
    if (!open) {
      out.clear();
      check(!session.feed(s7::ByteView(stream.data(), 1), out) && out.empty());
      break;
    }
  }
  return 0;
}
