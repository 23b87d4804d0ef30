// Replays the shared live captures (pcapng, libpcap) through FrameReader and decode_pdu.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "s7/frame.hpp"
#include "s7/pdu.hpp"

#ifdef S7_HAVE_PCAP
#include <pcap/pcap.h>
#endif

namespace {

using s7::Bytes;

#ifndef S7_CAPTURES_DIR
#define S7_CAPTURES_DIR ""
#endif

std::string to_hex(s7::ByteView b) {
  std::string s;
  char buf[4];
  for (auto x : b) {
    std::snprintf(buf, sizeof buf, "%02X ", x);
    s += buf;
  }
  return s;
}

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((static_cast<unsigned>(p[0]) << 8) | p[1]);
}

[[maybe_unused]] std::uint32_t be32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}

// PDUs the fact sheet calls malformed and that decode_pdu rejects on purpose.
bool expected_malformed(const Bytes& pdu, std::string& why) {
  // python-snap7 get_cpu_state(): Job Read Var with a bare 1-byte parameter `04` (fact sheet
  // 6.2; tshark: Malformed). There is no item count, so there is nothing to decode.
  if (pdu.size() == 11 && pdu[0] == 0x32 && pdu[1] == 0x01 && be16(&pdu[6]) == 1 &&
      be16(&pdu[8]) == 0 && pdu[10] == 0x04) {
    why = "python-snap7 get_cpu_state Read Var without item count";
    return true;
  }
  // Raw probe of edge-cases_snap7-server: a Read Var Job sent with ROSCTR 2 (Ack), whose
  // 12-byte Ack header cannot add up (fact sheet 5: Snap7 closes the connection on it).
  if (pdu.size() >= 12 && pdu[0] == 0x32 && pdu[1] == 0x02 && be16(&pdu[6]) != 0 &&
      pdu[10] == 0x04 && 10u + be16(&pdu[6]) + be16(&pdu[8]) == pdu.size()) {
    why = "Job sent with ROSCTR 2";
    return true;
  }
  return false;
}

// Original bytes with fill bytes set to 0 and padding after the last item dropped: Snap7 leaves
// stale buffer bytes in fill positions (fact sheet 4.3, 10.5), which the encoder writes as 0.
Bytes normalise_fill(const Bytes& pdu, const s7::Pdu& decoded) {
  const std::vector<s7::DataItem>* items = nullptr;
  if (auto* r = std::get_if<s7::ReadResponse>(&decoded.body)) items = &r->items;
  if (auto* w = std::get_if<s7::WriteRequest>(&decoded.body)) items = &w->data;
  if (items == nullptr) return pdu;
  const bool ack = decoded.header.rosctr == s7::Rosctr::ack_data;
  const std::size_t data_start = (ack ? 12u : 10u) + decoded.header.param_length;
  Bytes out = pdu;
  std::size_t off = data_start;
  for (std::size_t i = 0; i < items->size(); ++i) {
    off += 4 + (*items)[i].data.size();
    if ((*items)[i].data.size() % 2 == 1 && i + 1 < items->size()) out[off++] = 0x00;
  }
  out.resize(off);
  const std::size_t dl = off - data_start;
  out[8] = static_cast<std::uint8_t>(dl >> 8);
  out[9] = static_cast<std::uint8_t>(dl & 0xFF);
  return out;
}

struct Flow {
  s7::FrameReader reader;
  Bytes stream;                    // every payload byte in order (for raw TPKT frames)
  std::size_t walked = 0;          // TPKT walker position in `stream`
  std::vector<Bytes> raw_control;  // raw non-DT TPKTs not yet matched with a reader frame
  std::uint32_t next_seq = 0;
  bool have_seq = false;
};

struct Stats {
  int pdus = 0;
  int control = 0;
  int normalised = 0;
  int expected_bad = 0;
};

// Walks complete TPKTs in flow.stream and remembers the raw non-DT ones.
void walk_tpkts(Flow& f) {
  while (f.stream.size() - f.walked >= 6) {
    const std::size_t len = be16(&f.stream[f.walked + 2]);
    if (len < 7 || f.stream.size() - f.walked < len) return;
    if ((f.stream[f.walked + 5] & 0xF0) != 0xF0)
      f.raw_control.emplace_back(f.stream.begin() + static_cast<long>(f.walked),
                                 f.stream.begin() + static_cast<long>(f.walked + len));
    f.walked += len;
  }
}

[[maybe_unused]] void drain(Flow& f, const std::string& where, Stats& st) {
  walk_tpkts(f);
  while (true) {
    auto next = f.reader.next();
    ASSERT_TRUE(next.ok()) << where << ": " << next.error().what();
    if (!next->has_value()) return;
    s7::Frame frame = std::move(**next);
    if (auto* d = std::get_if<s7::CotpData>(&frame)) {
      ++st.pdus;
      auto pdu = s7::decode_pdu(d->payload);
      std::string why;
      if (expected_malformed(d->payload, why)) {
        EXPECT_FALSE(pdu.ok()) << where << ": expected malformed (" << why << ") "
                               << to_hex(d->payload);
        ++st.expected_bad;
        continue;
      }
      ASSERT_TRUE(pdu.ok()) << where << ": " << pdu.error().what() << "\n  " << to_hex(d->payload);
      const Bytes again = s7::encode_pdu(*pdu);
      if (again != d->payload) {
        ++st.normalised;
        // S7_CAPTURE_VERBOSE=1 lists them: all are stale fill bytes or padding after the last item.
        if (std::getenv("S7_CAPTURE_VERBOSE"))
          std::printf("normalised %s\n  %s\n", where.c_str(), to_hex(d->payload).c_str());
        EXPECT_EQ(to_hex(again), to_hex(normalise_fill(d->payload, *pdu))) << where;
      }
    } else {
      ++st.control;
      ASSERT_FALSE(f.raw_control.empty()) << where;
      const Bytes raw = f.raw_control.front();
      f.raw_control.erase(f.raw_control.begin());
      Bytes again = std::visit(
          [](const auto& c) -> Bytes {
            if constexpr (std::is_same_v<std::decay_t<decltype(c)>, s7::CotpData>)
              return {};
            else
              return s7::encode_frame(c);
          },
          frame);
      EXPECT_EQ(to_hex(again), to_hex(raw)) << where;
    }
  }
}

#ifdef S7_HAVE_PCAP
// Reads one capture: Ethernet / IPv4 / TCP, payloads reassembled per direction by sequence number.
Stats replay(const std::filesystem::path& file) {
  Stats st;
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(file.c_str(), err);
  EXPECT_NE(p, nullptr) << err;
  if (p == nullptr) return st;
  EXPECT_EQ(pcap_datalink(p), DLT_EN10MB) << file;
  std::map<std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>, Flow> flows;
  pcap_pkthdr* h = nullptr;
  const u_char* pkt = nullptr;
  int packet = 0;
  while (pcap_next_ex(p, &h, &pkt) == 1) {
    ++packet;
    const std::size_t n = h->caplen;
    if (n < 14 + 20 || be16(pkt + 12) != 0x0800) continue;  // IPv4 only
    const std::uint8_t* ip = pkt + 14;
    const std::size_t ihl = (ip[0] & 0x0F) * 4u;
    if (ip[9] != 6) continue;  // TCP
    const std::size_t ip_total = be16(ip + 2);
    const std::uint8_t* tcp = ip + ihl;
    if (14 + ihl + 20 > n) continue;
    const std::size_t thl = (tcp[12] >> 4) * 4u;
    const std::uint16_t sport = be16(tcp);
    const std::uint16_t dport = be16(tcp + 2);
    const std::uint32_t seq = be32(tcp + 4);
    const std::uint8_t flags = tcp[13];
    const std::size_t payload_len = ip_total - ihl - thl;
    const std::uint8_t* payload = tcp + thl;
    auto key = std::make_tuple(be32(ip + 12), sport, be32(ip + 16), dport);
    if (flags & 0x02) {  // SYN: a new connection on this 4-tuple starts a new flow
      flows.erase(key);
      Flow& f = flows[key];
      f.next_seq = seq + 1;
      f.have_seq = true;
      continue;
    }
    if (payload_len == 0) continue;
    Flow& f = flows[key];
    if (!f.have_seq) {
      f.next_seq = seq;
      f.have_seq = true;
    }
    // Skip retransmitted bytes; a gap would mean a lost segment (not expected on loopback).
    const auto delta = static_cast<std::int32_t>(seq - f.next_seq);
    EXPECT_LE(delta, 0) << file.filename() << " packet " << packet << ": gap in TCP stream";
    const std::size_t skip = delta < 0 ? static_cast<std::size_t>(-delta) : 0;
    if (skip >= payload_len) continue;
    const s7::ByteView fresh(payload + skip, payload_len - skip);
    f.next_seq += static_cast<std::uint32_t>(fresh.size());
    f.stream.insert(f.stream.end(), fresh.begin(), fresh.end());
    f.reader.feed(fresh);
    drain(f, file.filename().string() + " packet " + std::to_string(packet), st);
  }
  pcap_close(p);
  return st;
}
#endif

TEST(Captures, EveryLivePduDecodesAndReencodes) {
#ifndef S7_HAVE_PCAP
  GTEST_SKIP() << "built without libpcap";
#else
  const std::filesystem::path dir = S7_CAPTURES_DIR;
  if (dir.empty() || !std::filesystem::is_directory(dir))
    GTEST_SKIP() << "no captures folder at " << dir;
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".pcapng") continue;
    ++files;
    const Stats st = replay(e.path());
    EXPECT_GT(st.pdus, 0) << e.path();
    EXPECT_GT(st.control, 0) << e.path();  // every capture holds at least a CR/CC
    std::printf(
        "%-55s %4d PDUs, %3d CR/CC/DR/DC, %2d equal after fill/padding normalisation, "
        "%d expected malformed\n",
        e.path().filename().c_str(), st.pdus, st.control, st.normalised, st.expected_bad);
  }
  EXPECT_GT(files, 0);
#endif
}

}  // namespace
