// Writes classic pcap files (Ethernet/IPv4/TCP on port 102) from a list of S7 frames, for tshark.
#pragma once

#include <array>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace pcapw {

enum class Direction { client_to_server, server_to_client };

// One TCP segment's payload: a whole TPKT frame (or several, or a part of one).
struct Segment {
  Direction dir = Direction::client_to_server;
  std::vector<std::uint8_t> bytes;
};

namespace detail {

inline void le32(std::vector<std::uint8_t>& o, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) o.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
inline void le16(std::vector<std::uint8_t>& o, std::uint16_t v) {
  o.push_back(static_cast<std::uint8_t>(v & 0xFF));
  o.push_back(static_cast<std::uint8_t>(v >> 8));
}
inline void be16(std::vector<std::uint8_t>& o, std::uint16_t v) {
  o.push_back(static_cast<std::uint8_t>(v >> 8));
  o.push_back(static_cast<std::uint8_t>(v & 0xFF));
}
inline void be32(std::vector<std::uint8_t>& o, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) o.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// RFC 1071 ones' complement sum over `data` (plus a running `sum`).
inline std::uint32_t sum16(const std::uint8_t* data, std::size_t n, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < n; i += 2)
    sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (n % 2 == 1) sum += static_cast<std::uint32_t>(data[n - 1] << 8);
  return sum;
}
inline std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xFFFF);
}

}  // namespace detail

// Builds the pcap: a TCP handshake between 10.0.0.1:<client_port> and 10.0.0.2:102, then one
// PSH/ACK segment per entry with consistent sequence/ack numbers and checksums, then FINs.
class Writer {
 public:
  explicit Writer(std::uint16_t client_port = 40102) : client_port_(client_port) {}

  std::vector<std::uint8_t> build(const std::vector<Segment>& segments) {
    std::vector<std::uint8_t> out;
    // Global header: magic, version 2.4, thiszone 0, sigfigs 0, snaplen 65535, linktype 1.
    detail::le32(out, 0xA1B2C3D4);
    detail::le16(out, 2);
    detail::le16(out, 4);
    detail::le32(out, 0);
    detail::le32(out, 0);
    detail::le32(out, 65535);
    detail::le32(out, 1);
    seq_[0] = 1000;
    seq_[1] = 5000;
    packet(out, Direction::client_to_server, kSyn, {});
    packet(out, Direction::server_to_client, kSyn | kAck, {});
    packet(out, Direction::client_to_server, kAck, {});
    for (const auto& s : segments) packet(out, s.dir, kPsh | kAck, s.bytes);
    packet(out, Direction::client_to_server, kFin | kAck, {});
    packet(out, Direction::server_to_client, kFin | kAck, {});
    packet(out, Direction::client_to_server, kAck, {});
    return out;
  }

  bool write(const std::string& path, const std::vector<Segment>& segments) {
    const auto bytes = build(segments);
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(f);
  }

 private:
  static constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;

  void packet(std::vector<std::uint8_t>& out, Direction dir, std::uint8_t flags,
              const std::vector<std::uint8_t>& payload) {
    const bool c2s = dir == Direction::client_to_server;
    const int me = c2s ? 0 : 1;
    const std::array<std::uint8_t, 4> src_ip = c2s ? kClientIp : kServerIp;
    const std::array<std::uint8_t, 4> dst_ip = c2s ? kServerIp : kClientIp;
    std::vector<std::uint8_t> f;
    // Ethernet II: dst MAC, src MAC, type IPv4.
    const std::array<std::uint8_t, 6> mac_c{0x02, 0, 0, 0, 0, 1}, mac_s{0x02, 0, 0, 0, 0, 2};
    const auto& dmac = c2s ? mac_s : mac_c;
    const auto& smac = c2s ? mac_c : mac_s;
    f.insert(f.end(), dmac.begin(), dmac.end());
    f.insert(f.end(), smac.begin(), smac.end());
    detail::be16(f, 0x0800);
    // IPv4 header (20 bytes, no options), DF set, TTL 64, protocol TCP.
    const std::size_t ip_at = f.size();
    const auto total = static_cast<std::uint16_t>(20 + 20 + payload.size());
    f.push_back(0x45);
    f.push_back(0x00);
    detail::be16(f, total);
    detail::be16(f, ip_id_++);
    detail::be16(f, 0x4000);
    f.push_back(64);
    f.push_back(6);
    detail::be16(f, 0);
    f.insert(f.end(), src_ip.begin(), src_ip.end());
    f.insert(f.end(), dst_ip.begin(), dst_ip.end());
    const std::uint16_t ip_sum = detail::fold(detail::sum16(&f[ip_at], 20));
    f[ip_at + 10] = static_cast<std::uint8_t>(ip_sum >> 8);
    f[ip_at + 11] = static_cast<std::uint8_t>(ip_sum & 0xFF);
    // TCP header (20 bytes).
    const std::size_t tcp_at = f.size();
    detail::be16(f, c2s ? client_port_ : 102);
    detail::be16(f, c2s ? 102 : client_port_);
    detail::be32(f, seq_[me]);
    detail::be32(f, (flags & kAck) ? seq_[1 - me] : 0);
    f.push_back(0x50);
    f.push_back(flags);
    detail::be16(f, 65535);
    detail::be16(f, 0);  // checksum, filled below
    detail::be16(f, 0);
    f.insert(f.end(), payload.begin(), payload.end());
    // TCP checksum over the pseudo header (src, dst, 0, proto, TCP length) and the segment.
    std::vector<std::uint8_t> pseudo(src_ip.begin(), src_ip.end());
    pseudo.insert(pseudo.end(), dst_ip.begin(), dst_ip.end());
    pseudo.push_back(0);
    pseudo.push_back(6);
    detail::be16(pseudo, static_cast<std::uint16_t>(20 + payload.size()));
    const std::uint16_t tcp_sum = detail::fold(
        detail::sum16(&f[tcp_at], f.size() - tcp_at, detail::sum16(pseudo.data(), pseudo.size())));
    f[tcp_at + 16] = static_cast<std::uint8_t>(tcp_sum >> 8);
    f[tcp_at + 17] = static_cast<std::uint8_t>(tcp_sum & 0xFF);
    seq_[me] += static_cast<std::uint32_t>(payload.size()) + ((flags & (kSyn | kFin)) ? 1u : 0u);
    // Record header: ts_sec, ts_usec, incl_len, orig_len (one millisecond apart).
    ++tick_;
    detail::le32(out, 1700000000u + tick_ / 1000);
    detail::le32(out, (tick_ % 1000) * 1000);
    detail::le32(out, static_cast<std::uint32_t>(f.size()));
    detail::le32(out, static_cast<std::uint32_t>(f.size()));
    out.insert(out.end(), f.begin(), f.end());
  }

  static constexpr std::array<std::uint8_t, 4> kClientIp{10, 0, 0, 1};
  static constexpr std::array<std::uint8_t, 4> kServerIp{10, 0, 0, 2};
  std::uint16_t client_port_;
  std::uint32_t seq_[2] = {0, 0};
  std::uint16_t ip_id_ = 1;
  std::uint32_t tick_ = 0;
};

}  // namespace pcapw
