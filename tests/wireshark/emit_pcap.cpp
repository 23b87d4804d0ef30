// Writes a pcap of every frame kind s7log encodes (both directions) for the tshark decode check.
//
// Usage: emit_pcap OUT.pcap [FRAMES.txt ...]
// Each FRAMES.txt line is "C <hex bytes>" (client to server) or "S <hex bytes>" (server to
// client), '#' starts a comment; those frames are appended after the built-in ones, so frames
// captured from our own client or server can be checked by tshark the same way.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pcap_writer.hpp"
#include "s7/frame.hpp"
#include "s7/pdu.hpp"

namespace {

using pcapw::Direction;
using pcapw::Segment;
using s7::Bytes;

constexpr auto C = Direction::client_to_server;
constexpr auto S = Direction::server_to_client;

s7::ItemSpec spec(std::uint8_t ts, std::uint16_t count, std::uint16_t db, std::uint8_t area,
                  std::uint32_t address) {
  s7::ItemSpec s;
  s.transport = ts;
  s.count = count;
  s.db = db;
  s.area = area;
  s.address = address;
  return s;
}

Bytes text(const char* s) {
  return Bytes(s, s + std::char_traits<char>::length(s));
}

Bytes padded(const char* s, std::size_t n) {
  Bytes b = text(s);
  b.resize(n, 0x20);
  return b;
}

std::vector<Segment> builtin_frames() {
  std::vector<Segment> out;
  auto pdu = [&out](Direction d, const s7::Pdu& p) {
    out.push_back({d, s7::encode_data_frame(s7::encode_pdu(p))});
  };
  // COTP connect: our client's CR and our server's echoing CC.
  const s7::CotpConnect cr = s7::make_connect_request(0x0100, 0x0102);
  out.push_back({C, s7::encode_frame(cr)});
  out.push_back({S, s7::encode_frame(s7::make_connect_confirm(cr, 1))});
  // Setup communication.
  pdu(C, s7::make_setup_request(1, {1, 1, 480}));
  pdu(S, s7::make_setup_response(1, {1, 1, 240}));
  // Single read (BYTE x12) and its answer.
  const auto db1_12 = spec(0x02, 12, 1, 0x84, 0);
  pdu(C, s7::make_read_request(2, {db1_12}));
  pdu(S, s7::make_read_response(
             2, {s7::make_data_item(db1_12, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})}));
  // Multi read: BYTE (odd: fill), WORD in M, BIT, missing DB (error item), REAL, INT, T, C.
  const auto b0 = spec(0x02, 1, 1, 0x84, 0);
  const auto mw = spec(0x04, 1, 0, 0x83, 0x320);
  const auto bit = spec(0x01, 1, 2, 0x84, 0x23);
  const auto db3 = spec(0x02, 4, 3, 0x84, 0);
  const auto real = spec(0x08, 1, 1, 0x84, 0x30);
  const auto dint = spec(0x07, 1, 1, 0x84, 0x40);
  const auto t5 = spec(0x1D, 2, 0, 0x1D, 5);
  const auto c3 = spec(0x1C, 1, 0, 0x1C, 3);
  const auto chr = spec(0x03, 3, 1, 0x84, 0x80);
  pdu(C, s7::make_read_request(3, {b0, mw, bit, db3, real, dint, t5, c3, chr}));
  pdu(S, s7::make_read_response(
             3, {s7::make_data_item(b0, {0x2A}), s7::make_data_item(mw, {0x12, 0x34}),
                 s7::make_data_item(bit, {0x01}), s7::make_data_item(db3, {}, 0x0A),
                 s7::make_data_item(real, {0x3F, 0x9D, 0x70, 0xA4}),
                 s7::make_data_item(dint, {0, 0, 1, 0}),
                 s7::make_data_item(t5, {0x11, 0x22, 0x33, 0x44}),
                 s7::make_data_item(c3, {0x00, 0x42}), s7::make_data_item(chr, text("abc"))}));
  // Writes: INT, then BYTE + REAL + BIT in one Job; all-success and mixed answers.
  const auto dbw4 = spec(0x05, 1, 1, 0x84, 0x20);
  pdu(C, s7::make_write_request(4, {dbw4}, {s7::make_data_item(dbw4, {0x04, 0xD2}, 0x00)}));
  pdu(S, s7::make_write_response(4, {0xFF}));
  const auto wr = spec(0x08, 1, 1, 0x84, 0x10);
  const auto wx = spec(0x01, 1, 1, 0x84, 0xA1);
  pdu(C, s7::make_write_request(5, {b0, wr, wx},
                                {s7::make_data_item(b0, {0xAA}, 0x00),
                                 s7::make_data_item(wr, {0x3F, 0x80, 0, 0}, 0x00),
                                 s7::make_data_item(wx, {0x01}, 0x00)}));
  pdu(S, s7::make_write_response(5, {0xFF, 0x07, 0x0A}));
  // Periphery (area 0x80), as the client sends it: read PIW256, write PQW256.
  const auto piw = s7::item_spec_for(*s7::parse_address("PIW256:WORD"));
  pdu(C, s7::make_read_request(14, {piw}));
  pdu(S, s7::make_read_response(14, {s7::make_data_item(piw, {0x01, 0xF4})}));
  const auto pqw = s7::item_spec_for(*s7::parse_address("PQW256:WORD"));
  pdu(C, s7::make_write_request(15, {pqw}, {s7::make_data_item(pqw, {0x12, 0x34}, 0x00)}));
  pdu(S, s7::make_write_response(15, {0xFF}));
  // SZL 0x0424 request and a canned RUN answer.
  pdu(C, s7::make_szl_request(6, 0x0424, 0));
  pdu(S, s7::make_szl_response(6, 0, 0x0424, 0, {0x00, 0x14, 0x00, 0x01, 0x51, 0x44, 0xFF, 0x08,
                                                 0,    0,    0,    0,    0,    0,    0,    0,
                                                 0x94, 0x02, 0x05, 0x02, 0x01, 0x55, 0x90, 0x67}));
  // SZL 0x001C answered in two fragments (data unit reference 3), then the follow-up request.
  pdu(C, s7::make_szl_request(7, 0x001C, 0));
  Bytes records{0x00, 0x22, 0x00, 0x02, 0x00, 0x01};
  Bytes r1 = padded("S7LOG FAKE PLC", 32);
  records.insert(records.end(), r1.begin(), r1.end());
  records.insert(records.end(), {0x00, 0x02});
  Bytes r2 = padded("CPU 315-2 PN/DP", 32);
  records.insert(records.end(), r2.begin(), r2.end());
  const std::size_t cut = 30;
  s7::Pdu first =
      s7::make_szl_response(7, 0x21, 0x001C, 0, Bytes(records.begin(), records.begin() + cut));
  std::get<s7::SzlResponse>(first.body).data_unit_ref = 3;
  std::get<s7::SzlResponse>(first.body).last = false;
  pdu(S, first);
  pdu(C, s7::make_szl_follow_up(8, 0x21));
  s7::SzlResponse cont;
  cont.sequence = 0x21;
  cont.data_unit_ref = 3;
  cont.last = true;
  cont.has_header = false;
  cont.payload.assign(records.begin() + cut, records.end());
  pdu(S, s7::Pdu{{s7::Rosctr::userdata, 8, 0, 0, 0, 0}, cont});
  // SZL id we do not have: parameter error 0xD402.
  pdu(C, s7::make_szl_request(9, 0x0999, 0));
  pdu(S, s7::make_szl_error_response(9, 0, 0xD402));
  // Header error Ack (PUT/GET disabled) to a read.
  pdu(C, s7::make_read_request(10, {db1_12}));
  pdu(S, s7::make_error_ack(10, 0x81, 0x04));
  // PLC control: stop, hot start, cold start, each answered with a 1-byte parameter.
  pdu(C, s7::make_plc_stop(11));
  pdu(S, s7::make_plc_control_response(11, 0x29));
  pdu(C, s7::make_plc_hot_start(12));
  pdu(S, s7::make_plc_control_response(12, 0x28));
  pdu(C, s7::make_plc_cold_start(13));
  pdu(S, s7::make_plc_control_response(13, 0x28));
  // Disconnect: DR from the client, DC from the server.
  out.push_back({C, s7::encode_frame(s7::CotpDisconnect{s7::CotpCode::DR, 1, 1, 0x80, {}, {}})});
  out.push_back({S, s7::encode_frame(s7::CotpDisconnect{s7::CotpCode::DC, 1, 1, 0, {}, {}})});
  return out;
}

bool read_frames(const char* path, std::vector<Segment>& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line.substr(0, line.find('#')));
    std::string dir;
    if (!(ls >> dir)) continue;
    Segment s{dir == "S" ? S : C, {}};
    std::string tok;
    while (ls >> tok) s.bytes.push_back(static_cast<std::uint8_t>(std::stoul(tok, nullptr, 16)));
    out.push_back(std::move(s));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT.pcap [FRAMES.txt ...]\n", argv[0]);
    return 2;
  }
  std::vector<Segment> frames = builtin_frames();
  for (int i = 2; i < argc; ++i)
    if (!read_frames(argv[i], frames)) {
      std::fprintf(stderr, "cannot read %s\n", argv[i]);
      return 1;
    }
  if (!pcapw::Writer().write(argv[1], frames)) {
    std::fprintf(stderr, "cannot write %s\n", argv[1]);
    return 1;
  }
  std::printf("%zu frames written to %s\n", frames.size(), argv[1]);
  return 0;
}
