// Tests for the S7 PDU codec: every worked example and live frame of the fact sheet, both ways.
#include "s7/pdu.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace {

using s7::Bytes;
using s7::DataItem;
using s7::ItemSpec;
using s7::Pdu;

Bytes hex(const std::string& text) {
  Bytes out;
  std::istringstream in(text);
  std::string tok;
  while (in >> tok) out.push_back(static_cast<std::uint8_t>(std::stoul(tok, nullptr, 16)));
  return out;
}

// The S7 PDU inside a whole TPKT + COTP DT frame (checks the 7-byte header on the way).
Bytes pdu_of(const std::string& frame_hex) {
  Bytes f = hex(frame_hex);
  EXPECT_GE(f.size(), 7u);
  EXPECT_EQ(static_cast<std::size_t>((f[2] << 8) | f[3]), f.size()) << frame_hex;
  EXPECT_EQ(f[4], 0x02);
  EXPECT_EQ(f[5], 0xF0);
  EXPECT_EQ(f[6], 0x80);
  return Bytes(f.begin() + 7, f.end());
}

Pdu decode_ok(const Bytes& pdu) {
  auto r = s7::decode_pdu(pdu);
  EXPECT_TRUE(r.ok()) << r.error().what();
  return r.ok() ? *r : Pdu{};
}

template <class T>
const T& body(const Pdu& p) {
  static const T empty{};
  EXPECT_TRUE(std::holds_alternative<T>(p.body));
  return std::holds_alternative<T>(p.body) ? std::get<T>(p.body) : empty;
}

ItemSpec spec(std::uint8_t ts, std::uint16_t count, std::uint16_t db, std::uint8_t area,
              std::uint32_t address) {
  ItemSpec s;
  s.transport = ts;
  s.count = count;
  s.db = db;
  s.area = area;
  s.address = address;
  return s;
}

struct Vector {
  const char* name;
  const char* frame;  // whole frame, TPKT included
  std::size_t body_index;
};

// Every frame below re-encodes to itself (stale fill bytes are covered separately).
const Vector kVectors[] = {
    // 8.2 setup communication, client asks 480, server grants 240.
    {"8.2 C", "03 00 00 19 02 F0 80 32 01 00 00 00 01 00 08 00 00 F0 00 00 01 00 01 01 E0", 0},
    {"8.2 S", "03 00 00 1B 02 F0 80 32 03 00 00 00 01 00 08 00 00 00 00 F0 00 00 01 00 01 00 F0",
     0},
    // 10.2 live setups.
    {"10.2 nodes7", "03 00 00 19 02 F0 80 32 01 00 00 00 00 00 08 00 00 F0 00 00 08 00 08 03 C0",
     0},
    {"10.2 Snap7",
     "03 00 00 1B 02 F0 80 32 03 00 00 00 00 00 08 00 00 00 00 F0 00 00 08 00 08 03 C0", 0},
    {"10.2 PY server",
     "03 00 00 1B 02 F0 80 32 03 00 00 00 00 00 08 00 00 00 00 F0 00 00 01 00 01 01 E0", 0},
    // 8.3 read DB1 bytes 0..11.
    {"8.3 C",
     "03 00 00 1F 02 F0 80 32 01 00 00 00 02 00 0E 00 00 04 01 12 0A 10 02 00 0C 00 01 84 00 00 00",
     1},
    {"8.3 S",
     "03 00 00 25 02 F0 80 32 03 00 00 00 02 00 02 00 10 00 00 04 01 FF 04 00 60 00 01 02 03 04 05 "
     "06 07 08 09 0A 0B",
     2},
    // 8.4 multi-item read with fill byte, and its error variant.
    {"8.4 C",
     "03 00 00 37 02 F0 80 32 01 00 00 00 03 00 26 00 00 04 03 12 0A 10 02 00 01 00 01 84 00 00 00 "
     "12 0A 10 04 00 01 00 00 83 00 03 20 12 0A 10 01 00 01 00 02 84 00 00 23",
     1},
    {"8.4 S",
     "03 00 00 26 02 F0 80 32 03 00 00 00 03 00 02 00 11 00 00 04 03 FF 04 00 08 2A 00 FF 04 00 10 "
     "12 34 FF 03 00 01 01",
     2},
    {"8.4 S error",
     "03 00 00 24 02 F0 80 32 03 00 00 00 03 00 02 00 0F 00 00 04 03 0A 00 00 00 FF 04 00 10 12 34 "
     "FF 03 00 01 01",
     2},
    // 8.5 write INT 1234, Snap7 INT layout and the byte-oriented variant.
    {"8.5 C",
     "03 00 00 25 02 F0 80 32 01 00 00 00 04 00 0E 00 06 05 01 12 0A 10 05 00 01 00 01 84 00 00 20 "
     "00 05 00 10 04 D2",
     3},
    {"8.5 C bytes",
     "03 00 00 25 02 F0 80 32 01 00 00 00 04 00 0E 00 06 05 01 12 0A 10 02 00 02 00 01 84 00 00 20 "
     "00 04 00 10 04 D2",
     3},
    {"8.5 S", "03 00 00 16 02 F0 80 32 03 00 00 00 04 00 02 00 01 00 00 05 01 FF", 4},
    // 8.6 header error (PUT/GET disabled).
    {"8.6 error Ack", "03 00 00 13 02 F0 80 32 02 00 00 00 05 00 00 00 00 81 04", 9},
    // 8.6 SZL 0x0424 with Snap7's canned record.
    {"8.6 SZL C",
     "03 00 00 21 02 F0 80 32 07 00 00 00 06 00 08 00 08 00 01 12 04 11 44 01 00 FF 09 00 04 04 24 "
     "00 00",
     5},
    {"8.6 SZL S",
     "03 00 00 3D 02 F0 80 32 07 00 00 00 06 00 0C 00 20 00 01 12 08 12 84 01 00 00 00 00 00 FF 09 "
     "00 1C 04 24 00 00 00 14 00 01 51 44 FF 08 00 00 00 00 00 00 00 00 94 02 05 02 01 55 90 67",
     6},
    // 8.6 timers/counters: T5 x2 and C3, with their octet-string answers.
    {"8.6 T/C C",
     "03 00 00 2B 02 F0 80 32 01 00 00 00 07 00 1A 00 00 04 02 12 0A 10 1D 00 02 00 00 1D 00 00 05 "
     "12 0A 10 1C 00 01 00 00 1C 00 00 03",
     1},
    {"8.6 T/C S",
     "03 00 00 23 02 F0 80 32 03 00 00 00 07 00 02 00 0E 00 00 04 02 FF 09 00 04 11 22 33 44 FF 09 "
     "00 02 00 42",
     2},
    // 8.6 multi-write BYTE + REAL + BIT and its answer.
    {"8.6 multi-write C",
     "03 00 00 4A 02 F0 80 32 01 00 00 00 08 00 26 00 13 05 03 12 0A 10 02 00 01 00 01 84 00 00 00 "
     "12 0A 10 08 00 01 00 01 84 00 00 10 12 0A 10 01 00 01 00 01 84 00 00 A1 00 04 00 08 AA 00 00 "
     "07 00 04 3F 80 00 00 00 03 00 01 01",
     3},
    {"8.6 multi-write S", "03 00 00 18 02 F0 80 32 03 00 00 00 08 00 02 00 03 00 00 05 03 FF FF FF",
     4},
    // 6.3 stop / hot start / cold start Jobs and their 1-byte-parameter answers.
    {"6.3 stop",
     "03 00 00 21 02 F0 80 32 01 00 00 00 09 00 10 00 00 29 00 00 00 00 00 09 50 5F 50 52 4F 47 52 "
     "41 4D",
     8},
    {"6.3 hot start",
     "03 00 00 25 02 F0 80 32 01 00 00 00 0A 00 14 00 00 28 00 00 00 00 00 00 FD 00 00 09 50 5F 50 "
     "52 4F 47 52 41 4D",
     8},
    {"6.3 cold start",
     "03 00 00 27 02 F0 80 32 01 00 00 00 0B 00 16 00 00 28 00 00 00 00 00 00 FD 00 02 43 20 09 50 "
     "5F 50 52 4F 47 52 41 4D",
     8},
    {"6.3 stop answer", "03 00 00 14 02 F0 80 32 03 00 00 00 09 00 01 00 00 00 00 29", 9},
    {"6.3 start answer", "03 00 00 14 02 F0 80 32 03 00 00 00 0A 00 01 00 00 00 00 28", 9},
    // 10.3 read one INT.
    {"10.3 C",
     "03 00 00 1F 02 F0 80 32 01 00 00 00 04 00 0E 00 00 04 01 12 0A 10 05 00 01 00 01 84 00 00 20",
     1},
    {"10.3 S", "03 00 00 1B 02 F0 80 32 03 00 00 00 04 00 02 00 06 00 00 04 01 FF 05 00 10 00 19",
     2},
    // 10.4 REAL and BIT reads.
    {"10.4 REAL C",
     "03 00 00 1F 02 F0 80 32 01 00 00 04 00 00 0E 00 00 04 01 12 0A 10 08 00 01 00 01 84 00 00 30",
     1},
    {"10.4 REAL S",
     "03 00 00 1D 02 F0 80 32 03 00 00 04 00 00 02 00 08 00 00 04 01 FF 07 00 04 3F 9D 70 A4", 2},
    {"10.4 BIT C",
     "03 00 00 1F 02 F0 80 32 01 00 00 05 00 00 0E 00 00 04 01 12 0A 10 01 00 01 00 01 84 00 00 50",
     1},
    {"10.4 BIT S", "03 00 00 1A 02 F0 80 32 03 00 00 05 00 00 02 00 05 00 00 04 01 FF 03 00 01 00",
     2},
    // 10.5 single-item read of a missing DB (Snap7 puts length 4 in the error item).
    {"10.5 DB3 S", "03 00 00 19 02 F0 80 32 03 00 00 08 00 00 02 00 04 00 00 04 01 0A 00 00 04", 2},
    // 10.6 writes: node-snap7 INT, python-snap7 REAL with bit length, nodes7 two items.
    {"10.6 node-snap7 C",
     "03 00 00 25 02 F0 80 32 01 00 00 0C 00 00 0E 00 06 05 01 12 0A 10 05 00 01 00 01 84 00 00 A0 "
     "00 05 00 10 00 7B",
     3},
    {"10.6 node-snap7 S", "03 00 00 16 02 F0 80 32 03 00 00 0C 00 00 02 00 01 00 00 05 01 FF", 4},
    {"10.6 python-snap7 C",
     "03 00 00 27 02 F0 80 32 01 00 00 00 11 00 0E 00 08 05 01 12 0A 10 08 00 01 00 01 84 00 00 B0 "
     "00 07 00 20 40 49 99 9A",
     3},
    {"10.6 python-snap7 S", "03 00 00 16 02 F0 80 32 03 00 00 00 11 00 02 00 01 00 00 05 01 07", 4},
    {"10.6 nodes7 C",
     "03 00 00 36 02 F0 80 32 01 00 00 00 07 00 1A 00 0B 05 02 12 0A 10 02 00 02 00 01 84 00 00 A0 "
     "12 0A 10 01 00 01 00 01 84 00 00 D0 00 04 00 10 00 7E 00 03 00 01 00",
     3},
    {"10.6 nodes7 S", "03 00 00 17 02 F0 80 32 03 00 00 00 07 00 02 00 02 00 00 05 02 FF FF", 4},
    // 10.7 REAL + BYTE + INT raw Job (fill after the odd BYTE item) and Snap7's answer.
    {"10.7 C",
     "03 00 00 4B 02 F0 80 32 01 00 00 02 16 00 26 00 14 05 03 12 0A 10 08 00 01 00 01 84 00 00 F0 "
     "12 0A 10 02 00 01 00 01 84 00 01 10 12 0A 10 05 00 01 00 01 84 00 01 20 00 07 00 04 11 22 33 "
     "44 00 04 00 08 55 00 00 05 00 10 66 77",
     3},
    {"10.7 S", "03 00 00 18 02 F0 80 32 03 00 00 02 16 00 02 00 03 00 00 05 03 FF 07 07", 4},
    // 10.8 SZL 0x0424 live.
    {"10.8 C",
     "03 00 00 21 02 F0 80 32 07 00 00 16 00 00 08 00 08 00 01 12 04 11 44 01 00 FF 09 00 04 04 24 "
     "00 00",
     5},
    {"10.8 S",
     "03 00 00 3D 02 F0 80 32 07 00 00 16 00 00 0C 00 20 00 01 12 08 12 84 01 00 00 00 00 00 FF 09 "
     "00 1C 04 24 00 00 00 14 00 01 51 44 FF 08 00 00 00 00 00 00 00 00 26 11 24 01 00 02 00 02",
     6},
    // 6.1 python-snap7 SZL request variant (0A 00 data header), follow-up, error answer.
    {"6.1 PY SZL C",
     "03 00 00 21 02 F0 80 32 07 00 00 00 03 00 08 00 08 00 01 12 04 11 44 01 00 0A 00 00 04 00 1C "
     "00 00",
     5},
    {"6.1 SZL follow-up",
     "03 00 00 1D 02 F0 80 32 07 00 00 00 04 00 08 00 04 00 01 12 04 11 44 01 05 0A 00 00 00", 5},
    {"6.1 SZL error S",
     "03 00 00 21 02 F0 80 32 07 00 00 00 05 00 0C 00 04 00 01 12 08 12 84 01 37 00 00 D4 02 0A 00 "
     "00 00",
     6},
    // 6.1 fragmented SZL answer: first fragment (more follow) and a continuation.
    {"6.1 SZL fragment 1",
     "03 00 00 2D 02 F0 80 32 07 00 00 00 06 00 0C 00 10 00 01 12 08 12 84 01 05 07 01 00 00 FF 09 "
     "00 0C 00 1C 00 00 00 22 00 0A 00 01 41 42",
     6},
    {"6.1 SZL fragment 2",
     "03 00 00 23 02 F0 80 32 07 00 00 00 07 00 0C 00 06 00 01 12 08 12 84 01 05 07 00 00 00 FF 09 "
     "00 02 43 44",
     6},
    // Userdata of another group (time, read clock) stays raw.
    {"userdata raw",
     "03 00 00 1D 02 F0 80 32 07 00 00 00 08 00 08 00 04 00 01 12 04 11 47 01 00 0A 00 00 00", 7},
    // Unknown Job function (Snap7 stays silent; we keep it raw) and a bare PLC stop (edge cases).
    {"unknown Job", "03 00 00 12 02 F0 80 32 01 00 00 00 0C 00 01 00 00 42", 9},
    {"bare stop", "03 00 00 12 02 F0 80 32 01 00 00 02 01 00 01 00 00 29", 8},
};

// Frame of the vector called `name`.
const char* frame(const std::string& name) {
  for (const auto& v : kVectors)
    if (name == v.name) return v.frame;
  ADD_FAILURE() << "no vector " << name;
  return "";
}

TEST(DecodePdu, EveryVectorDecodesToItsKindAndReencodesExactly) {
  for (const auto& v : kVectors) {
    const Bytes pdu = pdu_of(v.frame);
    auto r = s7::decode_pdu(pdu);
    ASSERT_TRUE(r.ok()) << v.name << ": " << r.error().what();
    EXPECT_EQ(r->body.index(), v.body_index) << v.name;
    EXPECT_EQ(s7::encode_pdu(*r), pdu) << v.name;
    EXPECT_EQ(
        r->header.param_length + r->header.data_length +
            (r->header.rosctr == s7::Rosctr::ack || r->header.rosctr == s7::Rosctr::ack_data ? 12u
                                                                                             : 10u),
        pdu.size())
        << v.name;
  }
}

TEST(DecodePdu, EveryTruncationIsRejectedWithoutCrashing) {
  for (const auto& v : kVectors) {
    const Bytes pdu = pdu_of(v.frame);
    for (std::size_t n = 0; n < pdu.size(); ++n) {
      Bytes cut(pdu.begin(), pdu.begin() + static_cast<long>(n));
      auto r = s7::decode_pdu(cut);
      ASSERT_FALSE(r.ok()) << v.name << " cut to " << n;
      EXPECT_TRUE(r.error().is(s7::Errc::malformed_pdu));
    }
  }
}

TEST(DecodePdu, SetupCommunicationFields) {
  Pdu p = decode_ok(pdu_of(frame("8.2 S")));
  EXPECT_EQ(p.header.rosctr, s7::Rosctr::ack_data);
  EXPECT_EQ(p.header.ref, 1);
  EXPECT_EQ(body<s7::SetupCommunication>(p), (s7::SetupCommunication{1, 1, 240}));
}

TEST(DecodePdu, MultiReadSkipsFillAndKeepsErrorItems) {
  Pdu ok = decode_ok(pdu_of(frame("8.4 S")));
  const auto& items = body<s7::ReadResponse>(ok).items;
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].data, hex("2A"));
  EXPECT_EQ(items[1].data, hex("12 34"));
  EXPECT_EQ(items[2].data, hex("01"));
  EXPECT_EQ(items[2].transport, 0x03);
  Pdu err = decode_ok(pdu_of(frame("8.4 S error")));
  const auto& e = body<s7::ReadResponse>(err).items;
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].return_code, 0x0A);
  EXPECT_TRUE(e[0].data.empty());
  EXPECT_EQ(e[1].data, hex("12 34"));
}

// Fact sheet 10.5: Snap7's 7-item answer with stale fill bytes and error items of length 4.
const char* kSnap7MultiRead =
    "03 00 00 3F 02 F0 80 32 03 00 00 07 00 00 02 00 2A 00 00 04 07 FF 04 00 08 07 9D FF 04 00 18 "
    "00 19 3F A4 FF 03 00 01 00 01 0A 00 00 04 05 00 00 04 FF 07 00 04 3F 9D 70 A4 FF 04 00 10 00 "
    "19";

TEST(DecodePdu, Snap7SevenItemReadWithStaleFillBytes) {
  const Bytes pdu = pdu_of(kSnap7MultiRead);
  Pdu p = decode_ok(pdu);
  const auto& items = body<s7::ReadResponse>(p).items;
  ASSERT_EQ(items.size(), 7u);
  EXPECT_EQ(items[0].data, hex("07"));
  EXPECT_EQ(items[1].data, hex("00 19 3F"));
  EXPECT_EQ(items[2].data, hex("00"));
  EXPECT_EQ(items[3].return_code, 0x0A);
  EXPECT_EQ(items[3].length_field, 4);
  EXPECT_TRUE(items[3].data.empty());
  EXPECT_EQ(items[4].return_code, 0x05);
  EXPECT_EQ(items[5].data, hex("3F 9D 70 A4"));
  EXPECT_EQ(items[6].data, hex("00 19"));
  // Re-encoding writes 0x00 fill bytes where Snap7 left 9D, A4 and 01.
  Bytes normalised = pdu;
  normalised[12 + 2 + 5] = 0x00;
  normalised[12 + 2 + 6 + 7] = 0x00;
  normalised[12 + 2 + 6 + 8 + 5] = 0x00;
  EXPECT_EQ(s7::encode_pdu(p), normalised);
}

TEST(DecodePdu, WriteItemsUseExpectedSizeWhateverTheUnit) {
  // python-snap7 REAL with a bit length under 0x07 (fact sheet 4.5): 4 data bytes.
  Pdu py = decode_ok(pdu_of(frame("10.6 python-snap7 C")));
  const auto& w = body<s7::WriteRequest>(py);
  ASSERT_EQ(w.data.size(), 1u);
  EXPECT_EQ(w.data[0].length_field, 0x20);
  EXPECT_EQ(w.data[0].data, hex("40 49 99 9A"));
  // python-snap7 BIT with length 8 and DINT under 0x06 with a bit length.
  const Bytes bit = pdu_of(
      "03 00 00 24 02 F0 80 32 01 00 00 00 12 00 0E 00 05 05 01 12 0A 10 01 00 01 00 01 84 00 00 "
      "52 00 03 00 08 01");
  EXPECT_EQ(body<s7::WriteRequest>(decode_ok(bit)).data[0].data, hex("01"));
  EXPECT_EQ(s7::encode_pdu(decode_ok(bit)), bit);
  const Bytes dint = pdu_of(
      "03 00 00 27 02 F0 80 32 01 00 00 02 0E 00 0E 00 08 05 01 12 0A 10 07 00 01 00 01 84 00 01 "
      "30 00 06 00 20 01 02 03 04");
  EXPECT_EQ(body<s7::WriteRequest>(decode_ok(dint)).data[0].data, hex("01 02 03 04"));
  // 10.7: REAL with a byte length then a fill after the odd BYTE item.
  Pdu raw = decode_ok(pdu_of(frame("10.7 C")));
  const auto& d = body<s7::WriteRequest>(raw).data;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].data, hex("11 22 33 44"));
  EXPECT_EQ(d[1].data, hex("55"));
  EXPECT_EQ(d[2].data, hex("66 77"));
}

TEST(DecodePdu, WriteItemWithUnexpectedLengthFallsBackToWiresharkRule) {
  // BYTE x2 item carrying only 1 data byte under 0x04 with 8 bits: 1 byte, and it is the last.
  const Bytes pdu = pdu_of(
      "03 00 00 24 02 F0 80 32 01 00 00 00 13 00 0E 00 05 05 01 12 0A 10 02 00 02 00 01 84 00 00 "
      "00 00 04 00 08 AB");
  Pdu p = decode_ok(pdu);
  EXPECT_EQ(body<s7::WriteRequest>(p).data[0].data, hex("AB"));
  EXPECT_EQ(s7::spec_byte_size(body<s7::WriteRequest>(p).items[0]), 2u);
}

TEST(DecodePdu, ToleratesTrailingPaddingAfterLastItem) {
  // gos7 pads odd data even after the last item (fact sheet 4.5); also a read answer.
  const Bytes w = pdu_of(
      "03 00 00 25 02 F0 80 32 01 00 00 00 13 00 0E 00 06 05 01 12 0A 10 02 00 01 00 01 84 00 00 "
      "00 00 04 00 08 AB 00");
  Pdu p = decode_ok(w);
  EXPECT_EQ(body<s7::WriteRequest>(p).data[0].data, hex("AB"));
  Bytes expected = w;
  expected.pop_back();
  expected[9] = 0x05;  // data length without the padding
  EXPECT_EQ(s7::encode_pdu(p), expected);
  const Bytes r =
      pdu_of("03 00 00 1A 02 F0 80 32 03 00 00 00 13 00 02 00 05 00 00 04 01 FF 04 00 08 AB");
  Bytes padded = r;
  padded.push_back(0x00);
  padded[9] = 0x06;
  EXPECT_EQ(body<s7::ReadResponse>(decode_ok(padded)).items[0].data, hex("AB"));
}

TEST(DecodePdu, SzlFields) {
  Pdu req = decode_ok(pdu_of(frame("10.8 C")));
  const auto& r = body<s7::SzlRequest>(req);
  EXPECT_EQ(r.id, 0x0424);
  EXPECT_EQ(r.index, 0);
  EXPECT_FALSE(r.follow_up);
  Pdu py = decode_ok(pdu_of(frame("6.1 PY SZL C")));
  EXPECT_EQ(body<s7::SzlRequest>(py).id, 0x001C);
  EXPECT_EQ(body<s7::SzlRequest>(py).return_code, 0x0A);
  Pdu follow = decode_ok(pdu_of(frame("6.1 SZL follow-up")));
  EXPECT_TRUE(body<s7::SzlRequest>(follow).follow_up);
  EXPECT_EQ(body<s7::SzlRequest>(follow).sequence, 5);

  Pdu resp = decode_ok(pdu_of(frame("10.8 S")));
  const auto& s = body<s7::SzlResponse>(resp);
  EXPECT_EQ(s.id, 0x0424);
  EXPECT_TRUE(s.last);
  EXPECT_EQ(s.data_unit_ref, 0);
  EXPECT_EQ(s.payload.size(), 24u);
  EXPECT_EQ(s.payload[7], 0x08);  // bzu-id RUN at record byte 3
  Pdu err = decode_ok(pdu_of(frame("6.1 SZL error S")));
  EXPECT_EQ(body<s7::SzlResponse>(err).error, 0xD402);
  EXPECT_EQ(body<s7::SzlResponse>(err).sequence, 0x37);
  EXPECT_FALSE(body<s7::SzlResponse>(err).has_header);
  Pdu f1 = decode_ok(pdu_of(frame("6.1 SZL fragment 1")));
  EXPECT_FALSE(body<s7::SzlResponse>(f1).last);
  EXPECT_EQ(body<s7::SzlResponse>(f1).data_unit_ref, 7);
  Pdu f2 = decode_ok(pdu_of(frame("6.1 SZL fragment 2")));
  EXPECT_TRUE(body<s7::SzlResponse>(f2).last);
  EXPECT_EQ(s7::szl_raw_payload(body<s7::SzlResponse>(f2)), hex("43 44"));
}

TEST(DecodePdu, HeaderErrorAckKeepsClassAndCode) {
  Pdu p = decode_ok(pdu_of(frame("8.6 error Ack")));
  EXPECT_EQ(p.header.rosctr, s7::Rosctr::ack);
  EXPECT_EQ(p.header.error_class, 0x81);
  EXPECT_EQ(p.header.error_code, 0x04);
  // An Ack_Data with a header error also decodes to OtherPdu (e.g. 0x8500 on a read).
  const Bytes ad = pdu_of("03 00 00 15 02 F0 80 32 03 00 00 00 05 00 02 00 00 85 00 04 01");
  Pdu q = decode_ok(ad);
  EXPECT_EQ(body<s7::OtherPdu>(q).param, hex("04 01"));
  EXPECT_EQ(s7::encode_pdu(q), ad);
}

TEST(DecodePdu, RejectsMalformedPdus) {
  for (const char* v : {
           "33 01 00 00 00 01 00 00 00 00",                       // protocol id
           "32 05 00 00 00 01 00 00 00 00",                       // ROSCTR 5
           "32 01 00 00 00 01 00 02 00 00 04",                    // param length too big
           "32 01 00 00 00 01 00 00 00 00 00",                    // one byte too many
           "32 01 00 00 00 16 00 01 00 00 04",                    // PY get_cpu_state Read Var
           "32 01 00 00 00 01 00 07 00 00 F0 00 00 01 00 01 01",  // setup 7 bytes
           "32 01 00 00 00 01 00 0E 00 00 04 01 12 08 10 02 00 0C 00 01 84 00 00 00",  // spec len
           "32 01 00 00 00 01 00 0E 00 01 04 01 12 0A 10 02 00 0C 00 01 84 00 00 00 00",  // data
           "32 03 00 00 00 01 00 02 00 05 00 00 04 01 FF 04 00 10 AB",  // item past data
           "32 03 00 00 00 01 00 02 00 09 00 00 04 02 FF 04 00 08 AB FF 04 00 08",  // no fill
           "32 03 00 00 00 01 00 02 00 01 00 00 05 02 FF",                          // too few codes
           "32 03 00 00 00 01 00 03 00 00 00 00 04 01 00",  // read answer param 3
       }) {
    auto r = s7::decode_pdu(hex(v));
    ASSERT_FALSE(r.ok()) << v;
    EXPECT_TRUE(r.error().is(s7::Errc::malformed_pdu)) << v;
  }
}

TEST(EncodePdu, BuildersProduceFactSheetBytes) {
  EXPECT_EQ(s7::encode_pdu(s7::make_setup_request(1, {1, 1, 480})), pdu_of(frame("8.2 C")));
  EXPECT_EQ(s7::encode_pdu(s7::make_setup_response(1, {1, 1, 240})), pdu_of(frame("8.2 S")));
  const ItemSpec db1_12 = spec(0x02, 12, 1, 0x84, 0);
  EXPECT_EQ(s7::encode_pdu(s7::make_read_request(2, {db1_12})), pdu_of(frame("8.3 C")));
  Bytes twelve = hex("00 01 02 03 04 05 06 07 08 09 0A 0B");
  EXPECT_EQ(s7::encode_pdu(s7::make_read_response(2, {s7::make_data_item(db1_12, twelve)})),
            pdu_of(frame("8.3 S")));
  // 8.4 with fill byte after the odd first item and none after the last.
  const ItemSpec b0 = spec(0x02, 1, 1, 0x84, 0);
  const ItemSpec mw100 = spec(0x04, 1, 0, 0x83, 0x320);
  const ItemSpec bit = spec(0x01, 1, 2, 0x84, 0x23);
  EXPECT_EQ(s7::encode_pdu(s7::make_read_request(3, {b0, mw100, bit})), pdu_of(frame("8.4 C")));
  EXPECT_EQ(s7::encode_pdu(s7::make_read_response(
                3, {s7::make_data_item(b0, hex("2A")), s7::make_data_item(mw100, hex("12 34")),
                    s7::make_data_item(bit, hex("01"))})),
            pdu_of(frame("8.4 S")));
  EXPECT_EQ(s7::encode_pdu(s7::make_read_response(
                3, {s7::make_data_item(b0, {}, 0x0A), s7::make_data_item(mw100, hex("12 34")),
                    s7::make_data_item(bit, hex("01"))})),
            pdu_of(frame("8.4 S error")));
  // 8.5 write INT 1234.
  const ItemSpec dbw4 = spec(0x05, 1, 1, 0x84, 0x20);
  EXPECT_EQ(s7::encode_pdu(
                s7::make_write_request(4, {dbw4}, {s7::make_data_item(dbw4, hex("04 D2"), 0)})),
            pdu_of(frame("8.5 C")));
  EXPECT_EQ(s7::encode_pdu(s7::make_write_response(4, {0xFF})), pdu_of(frame("8.5 S")));
  EXPECT_EQ(s7::encode_pdu(s7::make_error_ack(5, 0x81, 0x04)), pdu_of(frame("8.6 error Ack")));
  // 8.6 multi-write BYTE + REAL + BIT.
  const ItemSpec wb = spec(0x02, 1, 1, 0x84, 0x00);
  const ItemSpec wr = spec(0x08, 1, 1, 0x84, 0x10);
  const ItemSpec wx = spec(0x01, 1, 1, 0x84, 0xA1);
  EXPECT_EQ(s7::encode_pdu(s7::make_write_request(8, {wb, wr, wx},
                                                  {s7::make_data_item(wb, hex("AA"), 0),
                                                   s7::make_data_item(wr, hex("3F 80 00 00"), 0),
                                                   s7::make_data_item(wx, hex("01"), 0)})),
            pdu_of(frame("8.6 multi-write C")));
  EXPECT_EQ(s7::encode_pdu(s7::make_write_response(8, {0xFF, 0xFF, 0xFF})),
            pdu_of(frame("8.6 multi-write S")));
  // T/C answers use octet strings with byte lengths.
  const ItemSpec t5 = spec(0x1D, 2, 0, 0x1D, 5);
  const ItemSpec c3 = spec(0x1C, 1, 0, 0x1C, 3);
  EXPECT_EQ(s7::encode_pdu(s7::make_read_request(7, {t5, c3})), pdu_of(frame("8.6 T/C C")));
  EXPECT_EQ(s7::encode_pdu(s7::make_read_response(7, {s7::make_data_item(t5, hex("11 22 33 44")),
                                                      s7::make_data_item(c3, hex("00 42"))})),
            pdu_of(frame("8.6 T/C S")));
  // REAL read answer, BIT read answer (10.4).
  const ItemSpec real = spec(0x08, 1, 1, 0x84, 0x30);
  EXPECT_EQ(s7::encode_pdu(
                s7::make_read_response(0x0400, {s7::make_data_item(real, hex("3F 9D 70 A4"))})),
            pdu_of(frame("10.4 REAL S")));
  // SZL request / canned answer / error / follow-up.
  EXPECT_EQ(s7::encode_pdu(s7::make_szl_request(6, 0x0424, 0)), pdu_of(frame("8.6 SZL C")));
  EXPECT_EQ(s7::encode_pdu(s7::make_szl_response(
                6, 0, 0x0424, 0,
                hex("00 14 00 01 51 44 FF 08 00 00 00 00 00 00 00 00 94 02 05 02 01 55 90 67"))),
            pdu_of(frame("8.6 SZL S")));
  EXPECT_EQ(s7::encode_pdu(s7::make_szl_error_response(5, 0x37, 0xD402)),
            pdu_of(frame("6.1 SZL error S")));
  EXPECT_EQ(s7::encode_pdu(s7::make_szl_follow_up(4, 5)), pdu_of(frame("6.1 SZL follow-up")));
  // PLC control Jobs and answers.
  EXPECT_EQ(s7::encode_pdu(s7::make_plc_stop(9)), pdu_of(frame("6.3 stop")));
  EXPECT_EQ(s7::encode_pdu(s7::make_plc_hot_start(10)), pdu_of(frame("6.3 hot start")));
  EXPECT_EQ(s7::encode_pdu(s7::make_plc_cold_start(11)), pdu_of(frame("6.3 cold start")));
  EXPECT_EQ(s7::encode_pdu(s7::make_plc_control_response(9, 0x29)),
            pdu_of(frame("6.3 stop answer")));
}

TEST(EncodePdu, BuildersFillInHeaderLengths) {
  Pdu p = s7::make_read_response(
      1, {DataItem{0xFF, 0x04, 8, hex("01")}, DataItem{0xFF, 0x04, 8, hex("02")}});
  EXPECT_EQ(p.header.param_length, 2);
  EXPECT_EQ(p.header.data_length, 11);  // 5 + fill + 5
  EXPECT_EQ(decode_ok(s7::encode_pdu(p)), p);
}

TEST(DataItem, LengthUnitsFollowTheTransportSize) {
  EXPECT_EQ(s7::data_item_bytes(0x03, 1), 1u);
  EXPECT_EQ(s7::data_item_bytes(0x04, 0x60), 12u);
  EXPECT_EQ(s7::data_item_bytes(0x05, 0x10), 2u);
  EXPECT_EQ(s7::data_item_bytes(0x06, 4), 4u);
  EXPECT_EQ(s7::data_item_bytes(0x07, 4), 4u);
  EXPECT_EQ(s7::data_item_bytes(0x09, 3), 3u);
  EXPECT_EQ(s7::data_item_bytes(0x04, 9), 2u);  // rounded up
  const DataItem dint = s7::make_data_item(spec(0x07, 1, 1, 0x84, 0), hex("00 00 00 01"));
  EXPECT_EQ(dint.transport, 0x05);
  EXPECT_EQ(dint.length_field, 32);
  const DataItem chr = s7::make_data_item(spec(0x03, 3, 1, 0x84, 0), hex("41 42 43"));
  EXPECT_EQ(chr.transport, 0x04);
  EXPECT_EQ(chr.length_field, 24);
}

TEST(SpecByteSize, CountTimesElementSize) {
  EXPECT_EQ(s7::spec_byte_size(spec(0x01, 1, 1, 0x84, 0)), 1u);
  EXPECT_EQ(s7::spec_byte_size(spec(0x02, 12, 1, 0x84, 0)), 12u);
  EXPECT_EQ(s7::spec_byte_size(spec(0x04, 3, 1, 0x84, 0)), 6u);
  EXPECT_EQ(s7::spec_byte_size(spec(0x08, 2, 1, 0x84, 0)), 8u);
  EXPECT_EQ(s7::spec_byte_size(spec(0x0F, 1, 1, 0x84, 0)), 8u);
  EXPECT_EQ(s7::spec_byte_size(spec(0x1D, 2, 0, 0x1D, 5)), 4u);
  EXPECT_EQ(s7::spec_byte_size(spec(0x42, 2, 0, 0x84, 5)), 0u);
}

TEST(Budget, MatchesFactSheetTable) {
  EXPECT_EQ(s7::read_request_size(19), 240u);
  EXPECT_GT(s7::read_request_size(20), 240u);
  EXPECT_EQ(s7::read_response_size({222}), 240u);
  EXPECT_EQ(s7::read_response_size({1, 2, 1}), 14u + 6 + 6 + 5);
  EXPECT_EQ(s7::write_request_size({212}), 240u);
  EXPECT_EQ(s7::write_request_size({1, 4, 1}), 12u + 36 + 6 + 8 + 5);
}

TEST(ItemSpecFor, MapsAddressTypesToTransportSizes) {
  s7::Address a;
  a.area = s7::Area::db;
  a.db = 1;
  a.offset = 10;
  a.bit = 3;
  a.width = s7::Width::X;
  a.type = s7::DataType::Bool;
  EXPECT_EQ(s7::item_spec_for(a), spec(0x01, 1, 1, 0x84, 83));
  a.width = s7::Width::D;
  a.bit = 0;
  a.type = s7::DataType::Real;
  EXPECT_EQ(s7::item_spec_for(a), spec(0x08, 1, 1, 0x84, 80));
  a.type = s7::DataType::Int;
  a.count = 3;
  EXPECT_EQ(s7::item_spec_for(a), spec(0x05, 3, 1, 0x84, 80));
  s7::Address m;
  m.area = s7::Area::merkers;
  m.db = 9;  // ignored outside DBs
  m.offset = 100;
  m.width = s7::Width::W;
  m.type = s7::DataType::Word;
  EXPECT_EQ(s7::item_spec_for(m), spec(0x04, 1, 0, 0x83, 0x320));
  s7::Address t;
  t.area = s7::Area::timers;
  t.offset = 5;
  t.width = s7::Width::None;
  t.type = s7::DataType::Timer;
  EXPECT_EQ(s7::item_spec_for(t), spec(0x1D, 1, 0, 0x1D, 5));
  s7::Address c = t;
  c.area = s7::Area::counters;
  c.type = s7::DataType::Counter;
  c.offset = 3;
  EXPECT_EQ(s7::item_spec_for(c), spec(0x1C, 1, 0, 0x1C, 3));
}

TEST(ItemSpecFor, StringsAndOtherTypesBecomeByteRanges) {
  s7::Address s;
  s.area = s7::Area::db;
  s.db = 2;
  s.offset = 20;
  s.type = s7::DataType::String;
  s.string_length = 30;
  EXPECT_EQ(s7::item_spec_for(s), spec(0x02, 32, 2, 0x84, 160));
  s.type = s7::DataType::LReal;
  EXPECT_EQ(s7::item_spec_for(s), spec(0x02, 8, 2, 0x84, 160));
  EXPECT_EQ(s7::byte_range_spec(s7::Area::inputs, 5, 4, 2), spec(0x02, 2, 0, 0x81, 32));
}

}  // namespace
