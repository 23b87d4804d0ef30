// Sans-IO transport framing: TPKT (RFC 1006) and COTP class 0 (ISO 8073) CR/CC/DT/DR/DC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "s7/error.hpp"

namespace s7 {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// TPKT header (RFC 1006 section 6): version 3, a reserved 0 byte, 16-bit length of the whole
// frame including these 4 bytes.
inline constexpr std::size_t kTpktHeader = 4;
inline constexpr std::uint8_t kTpktVersion = 0x03;

// COTP TPDU codes (ISO 8073, high nibble of byte 1).
enum class CotpCode : std::uint8_t { CR = 0xE0, CC = 0xD0, DT = 0xF0, DR = 0x80, DC = 0xC0 };

// Class 0 DT header (ISO 8073 / X.224 13.7): LI 2, code 0xF0, EOT flag + TPDU number.
inline constexpr std::size_t kCotpDtHeader = 3;
inline constexpr std::uint8_t kCotpDtLength = 0x02;  // the DT's LI
inline constexpr std::uint8_t kCotpEot = 0x80;       // DT byte 2, bit 7: last data unit

// COTP variable-part parameter codes used by S7.
inline constexpr std::uint8_t kParamTpduSize = 0xC0;     // 1-byte exponent, size = 2^v
inline constexpr std::uint8_t kParamCallingTsap = 0xC1;  // local (client) TSAP
inline constexpr std::uint8_t kParamCalledTsap = 0xC2;   // remote (PLC) TSAP
// kParamTpduSize value for a 1024-byte TPDU (2^10), what S7 clients ask for and PLCs confirm.
inline constexpr std::uint8_t kTpduSize1024 = 0x0A;

struct CotpParam {
  std::uint8_t code = 0;
  Bytes value;
  friend bool operator==(const CotpParam&, const CotpParam&) = default;
};

// CR (connect request) or CC (connect confirm). Parameters keep their wire order so a server
// can echo a CR's parameters exactly (Snap7 clients and nodes7 expect a 22-byte CC).
struct CotpConnect {
  CotpCode code = CotpCode::CR;  // CR or CC
  std::uint16_t dst_ref = 0;
  std::uint16_t src_ref = 0;
  std::uint8_t class_option = 0;  // class 0
  std::vector<CotpParam> params;

  std::optional<std::uint8_t> tpdu_size_code() const;  // C0 value, if present
  std::optional<std::uint16_t> calling_tsap() const;   // C1 as 16 bits, if 2 bytes
  std::optional<std::uint16_t> called_tsap() const;    // C2 as 16 bits, if 2 bytes
  friend bool operator==(const CotpConnect&, const CotpConnect&) = default;
};

// DR (disconnect request) or DC (disconnect confirm).
struct CotpDisconnect {
  CotpCode code = CotpCode::DR;
  std::uint16_t dst_ref = 0;
  std::uint16_t src_ref = 0;
  std::uint8_t reason = 0;  // DR only
  // Bytes the LI covers after the fixed part (DR: type, refs, reason; DC: type, refs). Snap7's
  // DC copies the DR's length, so it carries one here. Kept so encode(decode(x)) == x.
  Bytes variable;
  // Bytes after the LI-covered header (python-snap7's DR carries one extra byte, fact sheet 1.2).
  Bytes user_data;
  friend bool operator==(const CotpDisconnect&, const CotpDisconnect&) = default;
};

// A complete S7 PDU carried by one or more DT TPDUs (reassembled until EOT).
struct CotpData {
  Bytes payload;
  friend bool operator==(const CotpData&, const CotpData&) = default;
};

using Frame = std::variant<CotpConnect, CotpDisconnect, CotpData>;

// Builds a CR for a client: C0 (TPDU size code), C1 (local TSAP), C2 (remote TSAP).
CotpConnect make_connect_request(std::uint16_t local_tsap, std::uint16_t remote_tsap,
                                 std::uint8_t tpdu_size_code = kTpduSize1024,
                                 std::uint16_t src_ref = 1);
// Builds the CC answering `cr`: dst ref = CR's src ref, own src ref, C0/C1/C2 echoed in the
// CR's order; C0 added (with `tpdu_size_code`) when the CR had none.
CotpConnect make_connect_confirm(const CotpConnect& cr, std::uint16_t own_ref = 1,
                                 std::uint8_t tpdu_size_code = kTpduSize1024);

// Encoders produce a whole frame, TPKT header included.
Bytes encode_frame(const CotpConnect& c);
Bytes encode_frame(const CotpDisconnect& d);
// One DT with EOT carrying `s7_pdu` (senders never fragment).
Bytes encode_data_frame(ByteView s7_pdu);
// Appends the TPKT+DT header and `s7_pdu` to `out` (no allocation when `out` has capacity).
void append_data_frame(Bytes& out, ByteView s7_pdu);

// Incremental reader: feed() any chunk of the TCP stream, then call next() until it returns
// std::nullopt ("need more bytes"). Handles several frames per chunk, frames split across
// chunks, DT reassembly until EOT, and skips empty DTs (fast acknowledge).
// Errors (Errc::malformed_frame) are sticky: the connection should be closed.
class FrameReader {
 public:
  explicit FrameReader(std::size_t max_pdu_bytes = 65536) : max_pdu_(max_pdu_bytes) {}

  void feed(ByteView chunk);
  Result<std::optional<Frame>> next();
  // Gives back a spent payload buffer: the next unfragmented DT payload is copied into it,
  // reusing its capacity (a client reading in a loop then allocates nothing per frame).
  void recycle(Bytes&& spare) { spare_ = std::move(spare); }
  std::size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::size_t max_pdu_;
  Bytes buf_;
  std::size_t pos_ = 0;
  Bytes partial_;  // DT payload collected so far (waiting for EOT)
  Bytes spare_;    // recycled storage for the next single-DT payload
  int fragments_ = 0;
  std::optional<Error> error_;
};

}  // namespace s7
