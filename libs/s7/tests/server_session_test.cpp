// Tests for ServerSession: byte-exact request/answer vectors of the S7 server protocol.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "s7/pdu.hpp"
#include "s7/server.hpp"

namespace {

using s7::Area;
using s7::AreaKey;
using s7::Bytes;

Bytes h(const std::string& hex) {
  Bytes out;
  std::istringstream in(hex);
  std::string byte;
  while (in >> byte) out.push_back(static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16)));
  return out;
}

std::string hex(const Bytes& b) {
  static const char* d = "0123456789ABCDEF";
  std::string s;
  for (auto v : b) {
    if (!s.empty()) s += ' ';
    s += d[v >> 4];
    s += d[v & 0xF];
  }
  return s;
}

constexpr AreaKey kDb1{Area::db, 1};
constexpr AreaKey kDb2{Area::db, 2};
constexpr AreaKey kM{Area::merkers, 0};

// Fact sheet 10.1: node-snap7's CR (C0, C1, C2; rack 0 slot 1) and the 22-byte CC.
const char* kCr = "03 00 00 16 11 E0 00 00 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 01";
const char* kCc = "03 00 00 16 11 D0 00 01 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 01";
// Fact sheet 8.3: read DB1 bytes 0..11 (reference 2).
const char* kRead12 =
    "03 00 00 1F 02 F0 80 32 01 00 00 00 02 00 0E 00 00 04 01 12 0A 10 02 00 0C 00 01 84 00 00 00";
const char* kRead12Answer =
    "03 00 00 25 02 F0 80 32 03 00 00 00 02 00 02 00 10 00 00 04 01 FF 04 00 60 00 01 02 03 04 05 "
    "06 07 08 09 0A 0B";

class Session : public ::testing::Test {
 protected:
  Session() {
    memory_.add_area(kDb1, 64);
    memory_.add_area(kDb2, 16);
    memory_.add_area(kM, 256);
    memory_.add_read_only(kDb1, 11, 1);
    hooks_.on_write = [this](const s7::WriteEvent& e) { writes_.push_back(e); };
  }
  s7::ServerSession& session() {
    if (!session_)
      session_ = std::make_unique<s7::ServerSession>(memory_, options_, control_, hooks_);
    return *session_;
  }
  // Feeds hex, expects the session to stay open, returns the answer bytes.
  Bytes feed(const std::string& in_hex) {
    Bytes out;
    EXPECT_TRUE(session().feed(h(in_hex), out)) << "closed on " << in_hex;
    return out;
  }
  void connect() { ASSERT_EQ(hex(feed(kCr)), kCc); }
  void poke(AreaKey k, std::uint32_t off, const Bytes& b) { ASSERT_TRUE(memory_.poke(k, off, b)); }
  Bytes peek(AreaKey k, std::uint32_t off, std::size_t n) {
    Bytes b(n);
    EXPECT_TRUE(memory_.peek(k, off, b));
    return b;
  }

  s7::MemoryStore memory_;
  s7::ServerOptions options_;
  s7::ServerControl control_;
  s7::ServerHooks hooks_;
  std::vector<s7::WriteEvent> writes_;
  std::unique_ptr<s7::ServerSession> session_;
};

TEST_F(Session, ConnectConfirmMirrorsSnap7Cr) {
  connect();
}

TEST_F(Session, ConnectConfirmKeepsPythonSnap7ParameterOrder) {
  EXPECT_EQ(hex(feed("03 00 00 16 11 E0 00 00 00 01 00 C1 02 01 00 C2 02 01 01 C0 01 0A")),
            "03 00 00 16 11 D0 00 01 00 01 00 C1 02 01 00 C2 02 01 01 C0 01 0A");
}

TEST_F(Session, ConnectConfirmAddsTpduSizeWhenCrHasNone) {
  EXPECT_EQ(hex(feed("03 00 00 13 0E E0 00 00 00 05 00 C1 02 01 00 C2 02 01 01")),
            "03 00 00 16 11 D0 00 05 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 01");
}

TEST_F(Session, WrongSlotIsRefusedWithoutConnectConfirm) {
  options_.enforce_rack = 0;
  options_.enforce_slot = 2;
  Bytes out;
  EXPECT_FALSE(session().feed(h(kCr), out));
  EXPECT_TRUE(out.empty());
}

TEST_F(Session, MatchingRackSlotIsAccepted) {
  options_.enforce_rack = 0;
  options_.enforce_slot = 1;
  connect();
}

TEST_F(Session, SetupAnswersMinOfRequestAndMaximum) {
  options_.max_pdu = 240;
  connect();
  // Fact sheet 8.2: 480 asked, 240 granted, AmQ 1/1.
  EXPECT_EQ(hex(feed("03 00 00 19 02 F0 80 32 01 00 00 00 01 00 08 00 00 F0 00 00 01 00 01 01 E0")),
            "03 00 00 1B 02 F0 80 32 03 00 00 00 01 00 08 00 00 00 00 F0 00 00 01 00 01 00 F0");
  EXPECT_EQ(session().negotiated_pdu(), 240);
}

TEST_F(Session, SetupGrantsNodes7Request) {
  connect();
  // Fact sheet 10.2: nodes7 asks 8/8 and 960 with reference 0.
  EXPECT_EQ(hex(feed("03 00 00 19 02 F0 80 32 01 00 00 00 00 00 08 00 00 F0 00 00 08 00 08 03 C0")),
            "03 00 00 1B 02 F0 80 32 03 00 00 00 00 00 08 00 00 00 00 F0 00 00 08 00 08 03 C0");
  EXPECT_EQ(session().negotiated_pdu(), 960);
  EXPECT_EQ(session().negotiated_parallel(), 8);
}

TEST_F(Session, SetupHasPduFloorAndAmqAtLeastOne) {
  options_.max_parallel = 3;
  connect();
  EXPECT_EQ(hex(feed("03 00 00 19 02 F0 80 32 01 00 00 00 07 00 08 00 00 F0 00 00 00 00 08 00 64")),
            "03 00 00 1B 02 F0 80 32 03 00 00 00 07 00 08 00 00 00 00 F0 00 00 01 00 03 00 F0");
}

TEST_F(Session, ReadsDb1Bytes) {
  connect();
  Bytes v(12);
  for (std::uint8_t i = 0; i < 12; ++i) v[i] = i;
  poke(kDb1, 0, v);
  EXPECT_EQ(hex(feed(kRead12)), kRead12Answer);
  EXPECT_EQ(session().answered(), 1u);
}

TEST_F(Session, MultiReadUsesFillBytesAndDataTransportSizes) {
  connect();
  poke(kDb1, 0, {0x2A});
  poke(kM, 100, {0x12, 0x34});
  poke(kDb2, 4, {0x08});
  // Fact sheet 8.4: BYTE DB1.DBB0, WORD MW100, BIT DB2.DBX4.3.
  EXPECT_EQ(hex(feed("03 00 00 37 02 F0 80 32 01 00 00 00 03 00 26 00 00 04 03 12 0A 10 02 00 01 "
                     "00 01 84 00 00 00 12 0A 10 04 00 01 00 00 83 00 03 20 12 0A 10 01 00 01 00 "
                     "02 84 00 00 23")),
            "03 00 00 26 02 F0 80 32 03 00 00 00 03 00 02 00 11 00 00 04 03 FF 04 00 08 2A 00 FF "
            "04 00 10 12 34 FF 03 00 01 01");
}

TEST_F(Session, MissingDbIsAnErrorItemWithLengthZero) {
  connect();
  poke(kM, 100, {0x12, 0x34});
  poke(kDb2, 4, {0x08});
  // Fact sheet 8.4 error variant: item 1 targets DB99.
  EXPECT_EQ(hex(feed("03 00 00 37 02 F0 80 32 01 00 00 00 03 00 26 00 00 04 03 12 0A 10 02 00 01 "
                     "00 63 84 00 00 00 12 0A 10 04 00 01 00 00 83 00 03 20 12 0A 10 01 00 01 00 "
                     "02 84 00 00 23")),
            "03 00 00 24 02 F0 80 32 03 00 00 00 03 00 02 00 0F 00 00 04 03 0A 00 00 00 FF 04 00 "
            "10 12 34 FF 03 00 01 01");
}

TEST_F(Session, MultiReadMixesFillAndErrorItems) {
  connect();
  poke(kDb1, 4, {0x00, 0x19});
  poke(kDb1, 10, {0x01, 0x07});
  // DB1.DBB11, DB3.DBB0 (missing), DB1.DBX10.0, DB1.DBW4 (as WORD).
  EXPECT_EQ(hex(feed("03 00 00 43 02 F0 80 32 01 00 00 00 09 00 32 00 00 04 04 "
                     "12 0A 10 02 00 01 00 01 84 00 00 58 12 0A 10 02 00 01 00 03 84 00 00 00 "
                     "12 0A 10 01 00 01 00 01 84 00 00 50 12 0A 10 04 00 01 00 01 84 00 00 20")),
            "03 00 00 2B 02 F0 80 32 03 00 00 00 09 00 02 00 16 00 00 04 04 FF 04 00 08 07 00 0A "
            "00 00 00 FF 03 00 01 01 00 FF 04 00 10 00 19");
}

TEST_F(Session, ReadAnswersUseRecommendedTransportSizes) {
  connect();
  poke(kDb1, 4, {0x00, 0x19});
  poke(kDb1, 6, {0x3F, 0x9D, 0x70, 0xA4});
  // INT DB1.DBW4 -> 05 bits; REAL DB1.DBD6 -> 07 bytes (fact sheet 10.3, 10.4).
  EXPECT_EQ(hex(feed("03 00 00 1F 02 F0 80 32 01 00 00 00 04 00 0E 00 00 04 01 12 0A 10 05 00 01 "
                     "00 01 84 00 00 20")),
            "03 00 00 1B 02 F0 80 32 03 00 00 00 04 00 02 00 06 00 00 04 01 FF 05 00 10 00 19");
  EXPECT_EQ(hex(feed("03 00 00 1F 02 F0 80 32 01 00 00 04 00 00 0E 00 00 04 01 12 0A 10 08 00 01 "
                     "00 01 84 00 00 30")),
            "03 00 00 1D 02 F0 80 32 03 00 00 04 00 00 02 00 08 00 00 04 01 FF 07 00 04 3F 9D 70 "
            "A4");
}

TEST_F(Session, ReadItemRulesGiveCode05) {
  connect();
  // WORD with bit part 1, unknown transport 0x0E, DB1 bytes 60..69 (past the end), BIT x2.
  EXPECT_EQ(hex(feed("03 00 00 43 02 F0 80 32 01 00 00 00 0D 00 32 00 00 04 04 "
                     "12 0A 10 04 00 01 00 01 84 00 00 21 12 0A 10 0E 00 01 00 01 84 00 00 00 "
                     "12 0A 10 02 00 0A 00 01 84 00 01 E0 12 0A 10 01 00 02 00 01 84 00 00 00")),
            "03 00 00 25 02 F0 80 32 03 00 00 00 0D 00 02 00 10 00 00 04 04 05 00 00 00 05 00 00 "
            "00 05 00 00 00 05 00 00 00");
}

TEST_F(Session, ItemFaultOverridesOverlappingReads) {
  connect();
  control_.set_item_faults({{kDb1, 4, 2, 0x01}});
  EXPECT_EQ(hex(feed(kRead12)),
            "03 00 00 19 02 F0 80 32 03 00 00 00 02 00 02 00 04 00 00 04 01 01 00 00 00");
  control_.set_item_faults({});
  EXPECT_EQ(feed(kRead12).size(), 37u);
}

TEST_F(Session, OversizeReadGetsHeaderError8500) {
  options_.max_pdu = 240;
  connect();
  feed("03 00 00 19 02 F0 80 32 01 00 00 00 01 00 08 00 00 F0 00 00 01 00 01 01 E0");
  // 230 bytes of M: 14 + 4 + 230 = 248 > 240.
  EXPECT_EQ(hex(feed("03 00 00 1F 02 F0 80 32 01 00 00 00 0A 00 0E 00 00 04 01 12 0A 10 02 00 E6 "
                     "00 00 83 00 00 00")),
            "03 00 00 13 02 F0 80 32 03 00 00 00 0A 00 00 00 00 85 00");
  // 222 bytes fit exactly: a 240-byte PDU.
  const Bytes fits = feed(
      "03 00 00 1F 02 F0 80 32 01 00 00 00 0B 00 0E 00 00 04 01 12 0A 10 02 00 DE 00 00 83 00 00 "
      "00");
  EXPECT_EQ(fits.size(), 240u + 7u);
}

TEST_F(Session, WritesIntLikeFactSheet) {
  connect();
  EXPECT_EQ(hex(feed("03 00 00 25 02 F0 80 32 01 00 00 00 04 00 0E 00 06 05 01 12 0A 10 05 00 01 "
                     "00 01 84 00 00 20 00 05 00 10 04 D2")),
            "03 00 00 16 02 F0 80 32 03 00 00 00 04 00 02 00 01 00 00 05 01 FF");
  EXPECT_EQ(peek(kDb1, 4, 2), h("04 D2"));
  ASSERT_EQ(writes_.size(), 1u);
  EXPECT_EQ(writes_[0].offset, 4u);
  EXPECT_EQ(writes_[0].data, h("04 D2"));
  EXPECT_EQ(writes_[0].result, 0xFF);
}

TEST_F(Session, PeripheryReadsTheInputsAndWritesTheOutputs) {
  constexpr AreaKey kI{Area::inputs, 0};
  constexpr AreaKey kQ{Area::outputs, 0};
  memory_.add_area(kI, 8);
  memory_.add_area(kQ, 8);
  connect();
  poke(kI, 2, {0xAB, 0xCD});
  poke(kQ, 2, {0x01, 0x02});
  // Read PIW2: BYTE x 2, area 0x80, address 2 * 8 (reference 5).
  EXPECT_EQ(hex(feed("03 00 00 1F 02 F0 80 32 01 00 00 00 05 00 0E 00 00 04 01 12 0A 10 02 00 02 "
                     "00 00 80 00 00 10")),
            "03 00 00 1B 02 F0 80 32 03 00 00 00 05 00 02 00 06 00 00 04 01 FF 04 00 10 AB CD");
  // Write PQW2 = 0x1234 (reference 6): lands in the outputs, the inputs keep their bytes.
  EXPECT_EQ(hex(feed("03 00 00 25 02 F0 80 32 01 00 00 00 06 00 0E 00 06 05 01 12 0A 10 02 00 02 "
                     "00 00 80 00 00 10 00 04 00 10 12 34")),
            "03 00 00 16 02 F0 80 32 03 00 00 00 06 00 02 00 01 00 00 05 01 FF");
  EXPECT_EQ(peek(kQ, 2, 2), h("12 34"));
  EXPECT_EQ(peek(kI, 2, 2), h("AB CD"));
}

TEST_F(Session, WriteToReadOnlyByteGets03AndStoresNothing) {
  connect();
  poke(kDb1, 11, {7});
  EXPECT_EQ(hex(feed("03 00 00 24 02 F0 80 32 01 00 00 00 06 00 0E 00 05 05 01 12 0A 10 02 00 01 "
                     "00 01 84 00 00 58 00 04 00 08 63")),
            "03 00 00 16 02 F0 80 32 03 00 00 00 06 00 02 00 01 00 00 05 01 03");
  EXPECT_EQ(peek(kDb1, 11, 1), h("07"));
  // A 4-byte write over bytes 10..13 touches the read-only byte: none of it is stored.
  EXPECT_EQ(hex(feed("03 00 00 27 02 F0 80 32 01 00 00 00 07 00 0E 00 08 05 01 12 0A 10 02 00 04 "
                     "00 01 84 00 00 50 00 04 00 20 11 22 33 44")),
            "03 00 00 16 02 F0 80 32 03 00 00 00 07 00 02 00 01 00 00 05 01 03");
  EXPECT_EQ(peek(kDb1, 10, 4), h("00 07 00 00"));
  ASSERT_EQ(writes_.size(), 2u);
  EXPECT_EQ(writes_[0].result, 0x03);
  EXPECT_EQ(writes_[1].data, h("11 22 33 44"));
}

TEST_F(Session, MultiWriteStepsOverCountTimesSize) {
  connect();
  // Fact sheet 10.7: REAL + BYTE + INT, which Snap7 mis-walks (FF 07 07); all three are stored.
  EXPECT_EQ(hex(feed("03 00 00 4B 02 F0 80 32 01 00 00 02 16 00 26 00 14 05 03 12 0A 10 08 00 01 "
                     "00 01 84 00 00 F0 12 0A 10 02 00 01 00 01 84 00 01 10 12 0A 10 05 00 01 00 "
                     "01 84 00 01 20 00 07 00 04 11 22 33 44 00 04 00 08 55 00 00 05 00 10 66 77")),
            "03 00 00 18 02 F0 80 32 03 00 00 02 16 00 02 00 03 00 00 05 03 FF FF FF");
  EXPECT_EQ(peek(kDb1, 30, 8), h("11 22 33 44 55 00 66 77"));
}

TEST_F(Session, MultiWriteByteRealBitKeepsNeighbourBits) {
  connect();
  poke(kDb1, 26, {0xF0});
  EXPECT_EQ(hex(feed("03 00 00 4A 02 F0 80 32 01 00 00 00 07 00 26 00 13 05 03 12 0A 10 02 00 01 "
                     "00 01 84 00 00 D8 12 0A 10 08 00 01 00 01 84 00 00 B0 12 0A 10 01 00 01 00 "
                     "01 84 00 00 D1 00 04 00 08 AA 00 00 07 00 04 3F 80 00 00 00 03 00 01 01")),
            "03 00 00 18 02 F0 80 32 03 00 00 00 07 00 02 00 03 00 00 05 03 FF FF FF");
  EXPECT_EQ(peek(kDb1, 22, 6), h("3F 80 00 00 F2 AA"));
  ASSERT_EQ(writes_.size(), 3u);
  EXPECT_EQ(writes_[2].bit, std::optional<std::uint8_t>(1));
}

TEST_F(Session, WriteAcceptsBitLengthsAndRefusesWrongSizes) {
  connect();
  // python-snap7's REAL with a bit length (fact sheet 10.6) is accepted (E or 8E rule).
  EXPECT_EQ(hex(feed("03 00 00 27 02 F0 80 32 01 00 00 00 11 00 0E 00 08 05 01 12 0A 10 08 00 01 "
                     "00 01 84 00 00 B0 00 07 00 20 40 49 99 9A")),
            "03 00 00 16 02 F0 80 32 03 00 00 00 11 00 02 00 01 00 00 05 01 FF");
  EXPECT_EQ(peek(kDb1, 22, 4), h("40 49 99 9A"));
  // BYTE x2 with one data byte -> 07, nothing stored.
  EXPECT_EQ(hex(feed("03 00 00 24 02 F0 80 32 01 00 00 00 08 00 0E 00 05 05 01 12 0A 10 02 00 02 "
                     "00 01 84 00 00 A0 00 04 00 08 01")),
            "03 00 00 16 02 F0 80 32 03 00 00 00 08 00 02 00 01 00 00 05 01 07");
  EXPECT_EQ(peek(kDb1, 20, 2), h("00 00"));
  // Unknown transport size 0x0E in a write -> 06.
  EXPECT_EQ(hex(feed("03 00 00 24 02 F0 80 32 01 00 00 00 09 00 0E 00 05 05 01 12 0A 10 0E 00 01 "
                     "00 01 84 00 00 A0 00 04 00 08 01")),
            "03 00 00 16 02 F0 80 32 03 00 00 00 09 00 02 00 01 00 00 05 01 06");
}

TEST_F(Session, PipelinedJobsAreAnsweredInOrder) {
  connect();
  Bytes in;
  Bytes expected;
  for (std::uint8_t ref = 1; ref <= 3; ++ref) {
    Bytes job = h(kRead12);
    job[12] = ref;
    in.insert(in.end(), job.begin(), job.end());
    Bytes answer = h("03 00 00 25 02 F0 80 32 03 00 00 00 02 00 02 00 10 00 00 04 01 FF 04 00 60");
    answer[12] = ref;
    answer.resize(answer.size() + 12, 0);
    expected.insert(expected.end(), answer.begin(), answer.end());
  }
  Bytes out;
  ASSERT_TRUE(session().feed(in, out));
  EXPECT_EQ(hex(out), hex(expected));
  EXPECT_EQ(session().answered(), 3u);
}

TEST_F(Session, RequestSplitAcrossChunksIsAnsweredOnce) {
  connect();
  const Bytes job = h(kRead12);
  Bytes out;
  for (std::size_t i = 0; i + 1 < job.size(); ++i) {
    ASSERT_TRUE(session().feed(Bytes{job[i]}, out));
    ASSERT_TRUE(out.empty());
  }
  ASSERT_TRUE(session().feed(Bytes{job.back()}, out));
  EXPECT_EQ(out.size(), 37u);
}

TEST_F(Session, DtFragmentsAreReassembled) {
  connect();
  // The 24-byte Read Var PDU of 8.3 in two DTs: the first without EOT.
  EXPECT_TRUE(feed("03 00 00 11 02 F0 00 32 01 00 00 00 02 00 0E 00 00").empty());
  EXPECT_EQ(feed("03 00 00 15 02 F0 80 04 01 12 0A 10 02 00 0C 00 01 84 00 00 00").size(), 37u);
}

TEST_F(Session, UnsupportedFunctionGetsAck8104WithReference) {
  connect();
  EXPECT_EQ(hex(feed("03 00 00 12 02 F0 80 32 01 00 00 00 05 00 01 00 00 00")),
            "03 00 00 13 02 F0 80 32 02 00 00 00 05 00 00 00 00 81 04");
  EXPECT_EQ(hex(feed("03 00 00 13 02 F0 80 32 01 00 00 AB CD 00 02 00 00 1A 00")),
            "03 00 00 13 02 F0 80 32 02 00 00 AB CD 00 00 00 00 81 04");
}

TEST_F(Session, PythonSnap7CpuStateStubGetsANonErrorAnswer) {
  connect();
  EXPECT_EQ(hex(feed("03 00 00 12 02 F0 80 32 01 00 00 00 0C 00 01 00 00 04")),
            "03 00 00 19 02 F0 80 32 03 00 00 00 0C 00 02 00 04 00 00 04 01 0A 00 00 00");
}

const char* kSzl0424 =
    "03 00 00 21 02 F0 80 32 07 00 00 16 00 00 08 00 08 00 01 12 04 11 44 01 00 FF 09 00 04 04 "
    "24 00 00";
const char* kSzl0424Head =
    "03 00 00 3D 02 F0 80 32 07 00 00 16 00 00 0C 00 20 00 01 12 08 12 84 01 00 00 00 00 00 FF 09 "
    "00 1C 04 24 00 00 00 14 00 01 51 44 FF ";

void expect_bcd_time(const Bytes& answer) {
  ASSERT_EQ(answer.size(), 61u);
  for (std::size_t i = 53; i < 61; ++i) {
    EXPECT_LE(answer[i] >> 4, 9) << i;
    EXPECT_LE(answer[i] & 0xF, 9) << i;
  }
}

TEST_F(Session, Szl0424ReportsRunThenStopAfterPlcStop) {
  connect();
  Bytes run = feed(kSzl0424);
  expect_bcd_time(run);
  run.resize(53);
  EXPECT_EQ(hex(run), std::string(kSzl0424Head) + "08 00 00 00 00 00 00 00 00");
  // PLC stop (fact sheet 6.3): Ack_Data with the 1-byte parameter 0x29.
  EXPECT_EQ(hex(feed("03 00 00 21 02 F0 80 32 01 00 00 00 0B 00 10 00 00 29 00 00 00 00 00 09 50 "
                     "5F 50 52 4F 47 52 41 4D")),
            "03 00 00 14 02 F0 80 32 03 00 00 00 0B 00 01 00 00 00 00 29");
  EXPECT_EQ(control_.cpu_state.load(), s7::CpuState::stop);
  Bytes stop = feed(kSzl0424);
  expect_bcd_time(stop);
  stop.resize(53);
  EXPECT_EQ(hex(stop), std::string(kSzl0424Head) + "04 00 00 00 00 00 00 00 00");
  // Hot start -> RUN again.
  EXPECT_EQ(hex(feed("03 00 00 25 02 F0 80 32 01 00 00 00 0C 00 14 00 00 28 00 00 00 00 00 00 FD "
                     "00 00 09 50 5F 50 52 4F 47 52 41 4D")),
            "03 00 00 14 02 F0 80 32 03 00 00 00 0C 00 01 00 00 00 00 28");
  EXPECT_EQ(control_.cpu_state.load(), s7::CpuState::run);
}

TEST_F(Session, Szl001CCarriesIdentityAtClientOffsets) {
  options_.max_pdu = 240;
  options_.identity.as_name = "MY PLC";
  connect();
  const Bytes a = feed(
      "03 00 00 21 02 F0 80 32 07 00 00 02 00 00 08 00 08 00 01 12 04 11 44 01 05 FF 09 00 04 00 "
      "1C 00 00");
  ASSERT_EQ(a.size(), 7u + 238u);  // fits PDU 240 (fact sheet 6.2)
  EXPECT_EQ(
      hex(Bytes(a.begin(), a.begin() + 41)),
      "03 00 00 F5 02 F0 80 32 07 00 00 02 00 00 0C 00 D8 00 01 12 08 12 84 01 05 00 00 00 00 "
      "FF 09 00 D4 00 1C 00 00 00 22 00 06");
  const std::size_t lenthdr = 37;  // LENTHDR position in the frame
  auto text = [&](std::size_t off, std::size_t n) {
    std::string s(a.begin() + static_cast<long>(lenthdr + off),
                  a.begin() + static_cast<long>(lenthdr + off + n));
    return s.substr(0, s.find('\0'));
  };
  EXPECT_EQ(text(6, 24), "MY PLC");
  EXPECT_EQ(text(40, 24), options_.identity.module_name);
  EXPECT_EQ(text(108, 26), options_.identity.copyright);
  EXPECT_EQ(text(142, 24), options_.identity.serial_number);
  EXPECT_EQ(text(176, 32), options_.identity.module_type);
}

TEST_F(Session, Szl0011PutsFirmwareRecordLast) {
  connect();
  const Bytes a = feed(
      "03 00 00 21 02 F0 80 32 07 00 00 03 00 00 08 00 08 00 01 12 04 11 44 01 00 0A 00 00 04 00 "
      "11 00 00");
  // Data part 124 bytes like a real CPU: LENTHDR 28, 4 records.
  ASSERT_EQ(a.size(), 7u + 10u + 12u + 124u);
  EXPECT_EQ(hex(Bytes(a.begin() + 29, a.begin() + 41)), "FF 09 00 78 00 11 00 00 00 1C 00 04");
  EXPECT_EQ(std::string(a.begin() + 43, a.begin() + 62), "6ES7 315-2EH14-0AB0");
  // Record 0x0007 last: ... 'V' 3 2 6; Snap7 reads the version from the last 3 bytes.
  EXPECT_EQ(hex(Bytes(a.end() - 28, a.end() - 26)), "00 07");
  EXPECT_EQ(hex(Bytes(a.end() - 4, a.end())), "56 03 02 06");
}

TEST_F(Session, UnknownSzlGetsD402AndEchoesSequence) {
  connect();
  EXPECT_EQ(hex(feed("03 00 00 21 02 F0 80 32 07 00 00 01 00 00 08 00 08 00 01 12 04 11 44 01 37 "
                     "FF 09 00 04 09 99 00 00")),
            "03 00 00 21 02 F0 80 32 07 00 00 01 00 00 0C 00 04 00 01 12 08 12 84 01 37 00 00 D4 "
            "02 0A 00 00 00");
}

TEST_F(Session, Szl0131ReportsNegotiatedPdu) {
  connect();
  const Bytes a = feed(
      "03 00 00 21 02 F0 80 32 07 00 00 04 00 00 08 00 08 00 01 12 04 11 44 01 00 FF 09 00 04 01 "
      "31 00 01");
  // LENTHDR at 37: index at +4, max PDU at +6.
  ASSERT_GE(a.size(), 45u);
  EXPECT_EQ(hex(Bytes(a.begin() + 37, a.begin() + 45)), "00 28 00 01 00 01 03 C0");
}

TEST_F(Session, DisconnectRequestIsConfirmedAndCloses) {
  connect();
  Bytes out;
  EXPECT_FALSE(session().feed(h("03 00 00 0B 06 80 00 01 00 01 00"), out));
  ASSERT_GE(out.size(), 6u);
  EXPECT_EQ(out[5], 0xC0);
}

TEST_F(Session, MalformedInputClosesAndStaysClosed) {
  connect();
  Bytes out;
  // A good Job, then one whose S7 lengths do not add up: the first is still answered.
  Bytes in = h(kRead12);
  const Bytes bad = h("03 00 00 13 02 F0 80 32 01 00 00 00 03 00 09 00 00 04 01");
  in.insert(in.end(), bad.begin(), bad.end());
  EXPECT_FALSE(session().feed(in, out));
  EXPECT_EQ(out.size(), 37u);
  out.clear();
  EXPECT_FALSE(session().feed(h(kRead12), out));
  EXPECT_TRUE(out.empty());
}

TEST_F(Session, DataBeforeConnectCloses) {
  Bytes out;
  EXPECT_FALSE(session().feed(h(kRead12), out));
  EXPECT_TRUE(out.empty());
}

TEST_F(Session, GarbageCloses) {
  Bytes out;
  EXPECT_FALSE(session().feed(h("47 45 54 20 2F 20 48 54 54 50 2F 31 2E 31 0D 0A"), out));
}

TEST_F(Session, FrameAboveLimitCloses) {
  options_.max_frame_bytes = 100;
  connect();
  Bytes out;
  Bytes big = h("03 00 01 00 02 F0 80 32 01");
  big.resize(150, 0);  // more than the limit buffered, frame still incomplete
  EXPECT_FALSE(session().feed(big, out));
  EXPECT_TRUE(out.empty());
}

// ---- Replay of the shared live captures: every recorded client request gets an answer. ----

std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint32_t be32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}
std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

// TCP segments client -> server (server ports 11102/11103), in capture order, per connection.
struct Stream {
  std::vector<Bytes> segments;
  std::uint32_t next_seq = 0;
  bool started = false;
};

// Minimal little-endian pcapng reader for Ethernet/IPv4/TCP (what the shared captures hold).
std::map<std::uint32_t, Stream> client_streams(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const Bytes all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::map<std::uint32_t, Stream> streams;  // key: connection index << 16 | client port
  std::map<std::uint16_t, std::uint32_t> generation;
  std::size_t pos = 0;
  while (pos + 12 <= all.size()) {
    const std::uint32_t type = le32(&all[pos]);
    const std::uint32_t len = le32(&all[pos + 4]);
    if (len < 12 || pos + len > all.size()) break;
    if (type == 6 && len >= 28) {  // Enhanced Packet Block
      const std::uint32_t caplen = le32(&all[pos + 20]);
      const std::uint8_t* pkt = &all[pos + 28];
      if (caplen >= 14 + 20 && be16(pkt + 12) == 0x0800) {
        const std::uint8_t* ip = pkt + 14;
        const std::size_t ihl = static_cast<std::size_t>(ip[0] & 0x0F) * 4;
        const std::size_t ip_len = be16(ip + 2);
        if (ip[9] == 6 && 14 + ip_len <= caplen) {
          const std::uint8_t* tcp = ip + ihl;
          const std::uint16_t sport = be16(tcp), dport = be16(tcp + 2);
          const std::uint32_t seq = be32(tcp + 4);
          const std::uint8_t flags = tcp[13];
          const std::size_t off = static_cast<std::size_t>(tcp[12] >> 4) * 4;
          const bool to_server = dport == 11102 || dport == 11103;
          if (to_server && (flags & 0x02) != 0) ++generation[sport];  // SYN: new connection
          if (to_server) {
            Stream& st = streams[(generation[sport] << 16) | sport];
            const std::size_t payload_len = ip_len - ihl - off;
            const std::uint8_t* payload = tcp + off;
            if ((flags & 0x02) != 0) {
              st.next_seq = seq + 1;
              st.started = true;
            } else if (payload_len > 0 && st.started) {
              // Skip retransmitted bytes.
              const auto skip = static_cast<std::int32_t>(st.next_seq - seq);
              if (skip >= 0 && static_cast<std::size_t>(skip) < payload_len) {
                st.segments.emplace_back(payload + skip, payload + payload_len);
                st.next_seq = seq + static_cast<std::uint32_t>(payload_len);
              }
            }
          }
        }
      }
    }
    pos += len;
  }
  return streams;
}

// References of the Jobs/Userdata requests in a client stream, in order.
std::vector<std::uint16_t> request_refs(const std::vector<Bytes>& segments) {
  std::vector<std::uint16_t> refs;
  s7::FrameReader reader;
  for (const auto& seg : segments) {
    reader.feed(seg);
    for (;;) {
      auto f = reader.next();
      if (!f.ok() || !f->has_value()) break;
      if (auto* dt = std::get_if<s7::CotpData>(&**f)) {
        const Bytes& p = dt->payload;
        if (p.size() >= 10 && (p[1] == 0x01 || p[1] == 0x07)) refs.push_back(be16(&p[4]));
      }
    }
  }
  return refs;
}

TEST(ServerSessionReplay, EveryRecordedClientRequestIsAnswered) {
  const auto dir = std::filesystem::path(__FILE__).parent_path() / "../../../../shared/captures";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no captures at " << dir;
  std::size_t files = 0, jobs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".pcapng") continue;
    ++files;
    for (const auto& [key, stream] : client_streams(entry.path())) {
      SCOPED_TRACE(entry.path().filename().string() + " client port " +
                   std::to_string(key & 0xFFFF));
      // Course layout: DB1 of 64 bytes, byte 11 read-only.
      s7::MemoryStore memory;
      memory.add_area(kDb1, 64);
      memory.add_read_only(kDb1, 11, 1);
      s7::ServerOptions options;
      s7::ServerControl control;
      s7::ServerHooks hooks;
      s7::ServerSession session(memory, options, control, hooks);
      Bytes out;
      bool open = true;
      for (const auto& seg : stream.segments) {
        if (!(open = session.feed(seg, out))) break;
      }
      const auto refs = request_refs(stream.segments);
      // Decode every answer; collect the references of S7 answers.
      std::vector<std::uint16_t> answered;
      s7::FrameReader reader;
      reader.feed(out);
      for (;;) {
        auto f = reader.next();
        ASSERT_TRUE(f.ok());
        if (!f->has_value()) break;
        if (auto* dt = std::get_if<s7::CotpData>(&**f)) {
          ASSERT_LE(dt->payload.size(), session.negotiated_pdu());
          auto pdu = s7::decode_pdu(dt->payload);
          ASSERT_TRUE(pdu.ok()) << pdu.error().what();
          answered.push_back(pdu->header.ref);
        }
      }
      // Answers come in request order with the request's reference; all of them unless the
      // session closed on malformed input (the edge-case probes), then a prefix.
      ASSERT_LE(answered.size(), refs.size());
      for (std::size_t i = 0; i < answered.size(); ++i) EXPECT_EQ(answered[i], refs[i]) << i;
      // (python-snap7 ends with a DR: closed, but everything answered.)
      if (open || answered.size() == refs.size()) {
        EXPECT_EQ(answered.size(), refs.size());
      } else {
        std::printf("[ info ] %s port %u: closed after %zu of %zu requests\n",
                    entry.path().filename().string().c_str(), key & 0xFFFF, answered.size(),
                    refs.size());
        EXPECT_NE(entry.path().filename().string().find("edge-cases"), std::string::npos)
            << "closed after " << answered.size() << " of " << refs.size() << " requests";
      }
      jobs += answered.size();
    }
  }
  EXPECT_EQ(files, 10u);
  EXPECT_GT(jobs, 100u);
}

}  // namespace
