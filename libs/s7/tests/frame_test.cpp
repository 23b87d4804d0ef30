// Tests for the TPKT/COTP codec and the incremental FrameReader (byte-exact vectors).
#include "s7/frame.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace {

using s7::Bytes;
using s7::CotpCode;
using s7::CotpConnect;
using s7::CotpData;
using s7::CotpDisconnect;
using s7::Frame;
using s7::FrameReader;

Bytes hex(const std::string& text) {
  Bytes out;
  std::istringstream in(text);
  std::string tok;
  while (in >> tok) out.push_back(static_cast<std::uint8_t>(std::stoul(tok, nullptr, 16)));
  return out;
}

// Feeds `chunks` one by one and drains next() after each; fails the test on a reader error.
std::vector<Frame> read_all(FrameReader& r, const std::vector<Bytes>& chunks) {
  std::vector<Frame> frames;
  for (const auto& c : chunks) {
    r.feed(c);
    while (true) {
      auto f = r.next();
      EXPECT_TRUE(f.ok()) << f.error().what();
      if (!f.ok() || !f->has_value()) break;
      frames.push_back(std::move(**f));
    }
  }
  return frames;
}

Frame decode_one(const Bytes& wire) {
  FrameReader r;
  auto frames = read_all(r, {wire});
  EXPECT_EQ(frames.size(), 1u);
  EXPECT_EQ(r.buffered(), 0u);
  return frames.empty() ? Frame{} : frames.front();
}

// Fact sheet 8.1 / 10.1.
const char* kCr = "03 00 00 16 11 E0 00 00 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 02";
const char* kCc = "03 00 00 16 11 D0 00 01 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 02";
const char* kPyCr = "03 00 00 16 11 E0 00 00 00 01 00 C1 02 01 00 C2 02 01 01 C0 01 0A";
const char* kPyCc = "03 00 00 16 11 D0 00 01 00 01 00 C1 02 01 00 C2 02 01 01 C0 01 0A";
const char* kPyServerCc = "03 00 00 0E 09 D0 00 01 00 01 00 C0 01 0A";
const char* kSetupReq =
    "03 00 00 19 02 F0 80 32 01 00 00 00 01 00 08 00 00 F0 00 00 01 00 01 01 E0";
const char* kReadReq =
    "03 00 00 1F 02 F0 80 32 01 00 00 00 02 00 0E 00 00 04 01 12 0A 10 02 00 0C 00 01 84 00 00 00";

TEST(EncodeFrame, ConnectRequestMatchesFactSheet) {
  EXPECT_EQ(s7::encode_frame(s7::make_connect_request(0x0100, 0x0102)), hex(kCr));
}

TEST(DecodeFrame, ConnectRequestFieldsAndRoundTrip) {
  for (const char* v : {kCr, kPyCr, kCc, kPyCc, kPyServerCc}) {
    Frame f = decode_one(hex(v));
    ASSERT_TRUE(std::holds_alternative<CotpConnect>(f)) << v;
    EXPECT_EQ(s7::encode_frame(std::get<CotpConnect>(f)), hex(v)) << v;
  }
  auto cr = std::get<CotpConnect>(decode_one(hex(kPyCr)));
  EXPECT_EQ(cr.code, CotpCode::CR);
  EXPECT_EQ(cr.src_ref, 1);
  EXPECT_EQ(cr.tpdu_size_code(), 0x0A);
  EXPECT_EQ(cr.calling_tsap(), 0x0100);
  EXPECT_EQ(cr.called_tsap(), 0x0101);
}

TEST(MakeConnectConfirm, EchoesParametersInRequestOrder) {
  auto cr = std::get<CotpConnect>(decode_one(hex(kCr)));
  EXPECT_EQ(s7::encode_frame(s7::make_connect_confirm(cr, 1)), hex(kCc));
  auto pycr = std::get<CotpConnect>(decode_one(hex(kPyCr)));
  EXPECT_EQ(s7::encode_frame(s7::make_connect_confirm(pycr, 1)), hex(kPyCc));
}

TEST(MakeConnectConfirm, AddsTpduSizeWhenRequestHadNone) {
  auto cr = std::get<CotpConnect>(
      decode_one(hex("03 00 00 13 0E E0 00 00 00 01 00 C1 02 01 00 C2 02 01 01")));
  EXPECT_EQ(s7::encode_frame(s7::make_connect_confirm(cr, 1)),
            hex("03 00 00 16 11 D0 00 01 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 01"));
}

TEST(MakeConnectConfirm, DropsUnknownParameters) {
  // CR with C0, an option-selection C6 and C1/C2: the CC echoes only C0/C1/C2.
  auto cr = std::get<CotpConnect>(decode_one(
      hex("03 00 00 19 14 E0 00 00 00 01 00 C0 01 0A C6 01 00 C1 02 01 00 C2 02 01 01")));
  EXPECT_EQ(s7::encode_frame(s7::make_connect_confirm(cr, 7)),
            hex("03 00 00 16 11 D0 00 01 00 07 00 C0 01 0A C1 02 01 00 C2 02 01 01"));
}

TEST(DataFrame, EncodesOneDtWithEot) {
  Bytes pdu = hex("32 01 00 00 00 01 00 08 00 00 F0 00 00 01 00 01 01 E0");
  EXPECT_EQ(s7::encode_data_frame(pdu), hex(kSetupReq));
  Bytes out = hex("AA");
  s7::append_data_frame(out, pdu);
  Bytes expected = hex("AA");
  Bytes tail = hex(kSetupReq);
  expected.insert(expected.end(), tail.begin(), tail.end());
  EXPECT_EQ(out, expected);
}

TEST(Disconnect, PythonSnap7DrAndSnap7DcRoundTrip) {
  // Live (fact sheet 1.2): PY's DR has LI 6 and one extra byte; Snap7's DC copies the length.
  for (const char* v :
       {"03 00 00 0C 06 80 00 01 00 01 00 00", "03 00 00 0C 06 C0 00 01 00 01 00 00"}) {
    Frame f = decode_one(hex(v));
    ASSERT_TRUE(std::holds_alternative<CotpDisconnect>(f)) << v;
    EXPECT_EQ(s7::encode_frame(std::get<CotpDisconnect>(f)), hex(v)) << v;
  }
  auto dr = std::get<CotpDisconnect>(decode_one(hex("03 00 00 0C 06 80 00 01 00 02 03 00")));
  EXPECT_EQ(dr.code, CotpCode::DR);
  EXPECT_EQ(dr.dst_ref, 1);
  EXPECT_EQ(dr.src_ref, 2);
  EXPECT_EQ(dr.reason, 3);
  EXPECT_EQ(dr.user_data, hex("00"));
}

TEST(Disconnect, EncodesPlainDrAndDc) {
  CotpDisconnect dr{CotpCode::DR, 0x0001, 0x0002, 0x80, {}, {}};
  EXPECT_EQ(s7::encode_frame(dr), hex("03 00 00 0B 06 80 00 01 00 02 80"));
  CotpDisconnect dc{CotpCode::DC, 0x0002, 0x0001, 0, {}, {}};
  EXPECT_EQ(s7::encode_frame(dc), hex("03 00 00 0A 05 C0 00 02 00 01"));
  EXPECT_EQ(std::get<CotpDisconnect>(decode_one(hex("03 00 00 0A 05 C0 00 02 00 01"))), dc);
}

TEST(FrameReader, DecodesFrameSplitAtEveryBytePosition) {
  const Bytes wire = hex(kReadReq);
  const Bytes pdu(wire.begin() + 7, wire.end());
  for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
    FrameReader r;
    auto frames = read_all(r, {Bytes(wire.begin(), wire.begin() + static_cast<long>(cut)),
                               Bytes(wire.begin() + static_cast<long>(cut), wire.end())});
    ASSERT_EQ(frames.size(), 1u) << "cut at " << cut;
    EXPECT_EQ(std::get<CotpData>(frames[0]).payload, pdu) << "cut at " << cut;
  }
}

TEST(FrameReader, RecycledBufferCarriesTheNextPayloadWithoutANewAllocation) {
  const Bytes wire = hex(kReadReq);
  const Bytes pdu(wire.begin() + 7, wire.end());
  FrameReader r;
  Bytes spare = hex("DE AD BE EF");
  spare.reserve(512);
  const std::uint8_t* storage = spare.data();
  r.recycle(std::move(spare));
  r.feed(wire);
  auto f = r.next();
  ASSERT_TRUE(f && *f);
  const auto& payload = std::get<CotpData>(**f).payload;
  EXPECT_EQ(payload, pdu);  // old contents gone
  EXPECT_EQ(payload.data(), storage);
  // Without a recycled buffer the next frame still decodes (into fresh storage).
  r.feed(wire);
  auto g = r.next();
  ASSERT_TRUE(g && *g);
  EXPECT_EQ(std::get<CotpData>(**g).payload, pdu);
}

TEST(FrameReader, DecodesFrameFedOneByteAtATime) {
  const Bytes wire = hex(kCr);
  std::vector<Bytes> chunks;
  for (auto b : wire) chunks.push_back({b});
  FrameReader r;
  auto frames = read_all(r, chunks);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(s7::encode_frame(std::get<CotpConnect>(frames[0])), wire);
}

TEST(FrameReader, DecodesThreeFramesInOneChunk) {
  Bytes chunk = hex(kCr);
  for (const char* v : {kSetupReq, kReadReq}) {
    Bytes b = hex(v);
    chunk.insert(chunk.end(), b.begin(), b.end());
  }
  FrameReader r;
  auto frames = read_all(r, {chunk});
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<CotpConnect>(frames[0]));
  EXPECT_EQ(s7::encode_data_frame(std::get<CotpData>(frames[1]).payload), hex(kSetupReq));
  EXPECT_EQ(s7::encode_data_frame(std::get<CotpData>(frames[2]).payload), hex(kReadReq));
  EXPECT_EQ(r.buffered(), 0u);
}

// Splits `pdu` into DT fragments of the given sizes; only the last carries EOT.
Bytes fragment(const Bytes& pdu, const std::vector<std::size_t>& sizes) {
  Bytes out;
  std::size_t off = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const std::size_t n = sizes[i];
    const std::size_t len = 7 + n;
    out.insert(out.end(), {0x03, 0x00, static_cast<std::uint8_t>(len >> 8),
                           static_cast<std::uint8_t>(len & 0xFF), 0x02, 0xF0,
                           static_cast<std::uint8_t>(i + 1 == sizes.size() ? 0x80 : 0x00)});
    out.insert(out.end(), pdu.begin() + static_cast<long>(off),
               pdu.begin() + static_cast<long>(off + n));
    off += n;
  }
  return out;
}

TEST(FrameReader, ReassemblesDtFragmentsUntilEot) {
  const Bytes wire = hex(kReadReq);
  const Bytes pdu(wire.begin() + 7, wire.end());  // 24 bytes
  for (const auto& sizes :
       std::vector<std::vector<std::size_t>>{{10, 14}, {5, 7, 12}, {1, 5, 6, 2, 10}}) {
    FrameReader r;
    auto frames = read_all(r, {fragment(pdu, sizes)});
    ASSERT_EQ(frames.size(), 1u) << sizes.size() << " fragments";
    EXPECT_EQ(std::get<CotpData>(frames[0]).payload, pdu) << sizes.size() << " fragments";
  }
}

TEST(FrameReader, ReassemblesFragmentsArrivingInSeparateChunks) {
  const Bytes wire = hex(kReadReq);
  const Bytes pdu(wire.begin() + 7, wire.end());
  const Bytes frags = fragment(pdu, {5, 7, 12});
  FrameReader r;
  std::vector<Bytes> chunks;
  for (std::size_t i = 0; i < frags.size(); i += 3)
    chunks.emplace_back(frags.begin() + static_cast<long>(i),
                        frags.begin() + static_cast<long>(std::min(i + 3, frags.size())));
  auto frames = read_all(r, chunks);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::get<CotpData>(frames[0]).payload, pdu);
}

TEST(FrameReader, SkipsEmptyDt) {
  // Empty DT "fast acknowledge" (fact sheet 1.3), also with EOT, before a Job.
  Bytes chunk = hex("03 00 00 07 02 F0 00 03 00 00 07 02 F0 80");
  Bytes job = hex(kSetupReq);
  chunk.insert(chunk.end(), job.begin(), job.end());
  FrameReader r;
  auto frames = read_all(r, {chunk});
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(s7::encode_data_frame(std::get<CotpData>(frames[0]).payload), job);
}

TEST(FrameReader, RejectsOversizeTpkt) {
  FrameReader r(960);
  // 960 + 7 is the largest frame; 968 is one too many. The error comes from the header alone.
  r.feed(hex("03 00 03 C8 02 F0 80"));
  auto f = r.next();
  ASSERT_FALSE(f.ok());
  EXPECT_TRUE(f.error().is(s7::Errc::malformed_frame));
  // Sticky: more input does not revive the reader.
  r.feed(hex(kSetupReq));
  EXPECT_FALSE(r.next().ok());
}

TEST(FrameReader, AcceptsFrameAtTheSizeLimit) {
  FrameReader r(20);
  Bytes pdu(20, 0x32);
  auto frames = read_all(r, {s7::encode_data_frame(pdu)});
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::get<CotpData>(frames[0]).payload, pdu);
}

TEST(FrameReader, RejectsReassembledPduAboveLimit) {
  FrameReader r(20);
  const Bytes pdu(24, 0x32);
  r.feed(fragment(pdu, {12, 12}));
  auto f = r.next();
  ASSERT_FALSE(f.ok());
  EXPECT_TRUE(f.error().is(s7::Errc::malformed_frame));
}

TEST(FrameReader, RejectsGarbageVersionByte) {
  FrameReader r;
  r.feed(hex("47 45 54 20 2F 20 48 54 54 50"));  // "GET / HTTP"
  auto f = r.next();
  ASSERT_FALSE(f.ok());
  EXPECT_TRUE(f.error().is(s7::Errc::malformed_frame));
}

TEST(FrameReader, RejectsBrokenCotpHeaders) {
  for (const char* v : {
           "03 00 00 06 02 F0",                       // TPKT length below 7
           "03 00 00 08 05 F0 80 32",                 // LI beyond the frame
           "03 00 00 08 03 F0 80 00",                 // DT with LI 3
           "03 00 00 0B 07 E0 00 00 00 01 00",        // CR LI does not match TPKT
           "03 00 00 0D 08 E0 00 00 00 01 00 C0 05",  // parameter overruns header
           "03 00 00 09 04 E0 00 00 00",              // CR shorter than fixed part
           "03 00 00 0A 05 80 00 01 00 02",           // DR without reason
           "03 00 00 08 02 10 00 00",                 // expedited data: unsupported
       }) {
    FrameReader r;
    r.feed(hex(v));
    auto f = r.next();
    ASSERT_FALSE(f.ok()) << v;
    EXPECT_TRUE(f.error().is(s7::Errc::malformed_frame)) << v;
  }
}

TEST(FrameReader, NeedsMoreBytesForPartialHeader) {
  FrameReader r;
  r.feed(hex("03 00"));
  auto f = r.next();
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->has_value());
  EXPECT_EQ(r.buffered(), 2u);
}

TEST(FrameReader, KeepsWorkingOverManyFrames) {
  // Exercises lazy compaction: thousands of frames fed in uneven chunks all come out intact.
  const Bytes one = hex(kReadReq);
  Bytes stream;
  for (int i = 0; i < 2000; ++i) stream.insert(stream.end(), one.begin(), one.end());
  FrameReader r;
  std::size_t count = 0;
  for (std::size_t off = 0; off < stream.size(); off += 1000) {
    r.feed(s7::ByteView(stream).subspan(off, std::min<std::size_t>(1000, stream.size() - off)));
    while (true) {
      auto f = r.next();
      ASSERT_TRUE(f.ok());
      if (!f->has_value()) break;
      EXPECT_EQ(std::get<CotpData>(**f).payload, Bytes(one.begin() + 7, one.end()));
      ++count;
    }
  }
  EXPECT_EQ(count, 2000u);
  EXPECT_EQ(r.buffered(), 0u);
}

}  // namespace
