// A consumer of libs/s7 alone: serves an in-memory DB with s7::Server, then reads and writes it
// with s7::Client over loopback, and encodes a Read Var frame with the sans-IO codec.
// Prints "ok" and exits 0 when every check holds.
#include <cstdio>
#include <vector>

#include "s7/address.hpp"
#include "s7/client.hpp"
#include "s7/frame.hpp"
#include "s7/memory.hpp"
#include "s7/pdu.hpp"
#include "s7/server.hpp"
#include "s7/value.hpp"

namespace {

int failures = 0;
void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  s7::MemoryStore memory;
  memory.add_area({s7::Area::db, 1}, 16);
  const std::vector<std::uint8_t> init{0x00, 0x2A};
  check(memory.poke({s7::Area::db, 1}, 0, init), "poke");
  s7::ServerOptions so;
  so.port = 0;  // any free loopback port
  s7::Server server(memory, so);
  auto started = server.start();
  check(bool(started), "server start");
  if (!started) return 1;

  s7::ClientOptions co;
  co.port = server.port();
  s7::Client client(co);
  auto c = client.connect();
  check(bool(c), "client connect");
  if (!c) return 1;
  auto word = s7::parse_address("DB1.DBW0");
  auto real = s7::parse_address("DB1.DBD4:REAL");
  check(word && real, "parse addresses");
  if (!word || !real) return 1;
  auto v = client.read_values(std::vector<s7::Address>{*word});
  check(v.size() == 1 && v[0] && s7::format_value(*v[0]) == "42", "read DB1.DBW0 = 42");
  auto value = s7::parse_value(*real, "1.5");
  check(bool(value), "parse value 1.5 for REAL");
  if (value) {
    auto w = client.write_values(std::vector<s7::Address>{*real}, std::vector<s7::Value>{*value});
    check(w.size() == 1 && w[0], "write DB1.DBD4 = 1.5");
    auto back = client.read_values(std::vector<s7::Address>{*real});
    check(back.size() == 1 && back[0] && s7::format_value(*back[0]) == "1.5", "read back 1.5");
  }
  client.disconnect();
  server.stop();

  // Sans-IO: the Read Var job for DB1.DBW0 is 31 bytes on the wire and decodes back.
  const auto frame =
      s7::encode_data_frame(s7::encode_pdu(s7::make_read_request(1, {s7::item_spec_for(*word)})));
  check(frame.size() == 31, "read request frame is 31 bytes");
  s7::FrameReader reader;
  reader.feed(frame);
  auto f = reader.next();
  check(f && *f && std::holds_alternative<s7::CotpData>(**f), "frame reader gives the DT back");

  if (failures == 0) std::printf("ok\n");
  return failures == 0 ? 0 : 1;
}
