// Sans-IO TPKT (RFC 1006) + COTP class 0 (ISO 8073) encoders and the incremental FrameReader.
#include "s7/frame.hpp"
#include "big_endian.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace s7 {

namespace {

// ISO 8073: the TPDU code is the high nibble of byte 1 (CR/CC carry the credit in the low one).
constexpr std::uint8_t kCotpCodeMask = 0xF0;
// CR/CC fixed part after LI: type, dst ref (2), src ref (2), class/option = 6 bytes.
constexpr std::size_t kConnectFixed = 6;
// DR fixed part after LI: type, dst ref, src ref, reason = 6; DC: type, dst ref, src ref = 5.
constexpr std::size_t kDrFixed = 6;
constexpr std::size_t kDcFixed = 5;

using detail::get16;
using detail::put16;

// Writes the TPKT header for a frame of `total` bytes (header included).
void put_tpkt(Bytes& out, std::size_t total) {
  out.push_back(kTpktVersion);
  out.push_back(0x00);  // reserved
  put16(out, static_cast<std::uint16_t>(total));
}

std::optional<std::uint16_t> param16(const CotpConnect& c, std::uint8_t code) {
  for (const auto& p : c.params)
    if (p.code == code) {
      if (p.value.size() != 2) return std::nullopt;
      return get16(p.value.data());
    }
  return std::nullopt;
}

Error frame_error(std::string why) {
  return Error(Errc::malformed_frame, std::move(why));
}

// Parses a CR/CC TPDU; `cotp` starts at LI and spans exactly LI + 1 bytes (checked by caller).
Result<Frame> parse_connect(const std::uint8_t* cotp, std::size_t size) {
  if (size < 1 + kConnectFixed) return frame_error("COTP CR/CC shorter than its fixed part");
  CotpConnect c;
  c.code = static_cast<CotpCode>(cotp[1] & kCotpCodeMask);
  c.dst_ref = get16(cotp + 2);
  c.src_ref = get16(cotp + 4);
  c.class_option = cotp[6];
  // Variable part: (code, length, value) triples up to the end of the LI-covered header.
  std::size_t off = 1 + kConnectFixed;
  while (off < size) {
    if (size - off < 2) return frame_error("COTP parameter header truncated");
    const std::uint8_t code = cotp[off];
    const std::size_t len = cotp[off + 1];
    if (size - off - 2 < len) return frame_error("COTP parameter value overruns the header");
    c.params.push_back(CotpParam{code, Bytes(cotp + off + 2, cotp + off + 2 + len)});
    off += 2 + len;
  }
  return Frame{std::move(c)};
}

// Parses a DR/DC TPDU; `cotp` spans the whole TPKT payload, `li` is the length indicator.
Result<Frame> parse_disconnect(const std::uint8_t* cotp, std::size_t size, std::size_t li) {
  CotpDisconnect d;
  d.code = static_cast<CotpCode>(cotp[1] & kCotpCodeMask);
  const std::size_t fixed = d.code == CotpCode::DR ? kDrFixed : kDcFixed;
  if (li < fixed) return frame_error("COTP DR/DC length indicator too small");
  d.dst_ref = get16(cotp + 2);
  d.src_ref = get16(cotp + 4);
  if (d.code == CotpCode::DR) d.reason = cotp[6];
  d.variable.assign(cotp + 1 + fixed, cotp + 1 + li);
  d.user_data.assign(cotp + 1 + li, cotp + size);
  return Frame{std::move(d)};
}

}  // namespace

std::optional<std::uint8_t> CotpConnect::tpdu_size_code() const {
  for (const auto& p : params)
    if (p.code == kParamTpduSize) {
      if (p.value.size() != 1) return std::nullopt;
      return p.value[0];
    }
  return std::nullopt;
}

std::optional<std::uint16_t> CotpConnect::calling_tsap() const {
  return param16(*this, kParamCallingTsap);
}

std::optional<std::uint16_t> CotpConnect::called_tsap() const {
  return param16(*this, kParamCalledTsap);
}

CotpConnect make_connect_request(std::uint16_t local_tsap, std::uint16_t remote_tsap,
                                 std::uint8_t tpdu_size_code, std::uint16_t src_ref) {
  CotpConnect c;
  c.code = CotpCode::CR;
  c.dst_ref = 0;
  c.src_ref = src_ref;
  c.class_option = 0;
  c.params.push_back({kParamTpduSize, {tpdu_size_code}});
  c.params.push_back({kParamCallingTsap, {}});
  put16(c.params.back().value, local_tsap);
  c.params.push_back({kParamCalledTsap, {}});
  put16(c.params.back().value, remote_tsap);
  return c;
}

CotpConnect make_connect_confirm(const CotpConnect& cr, std::uint16_t own_ref,
                                 std::uint8_t tpdu_size_code) {
  CotpConnect cc;
  cc.code = CotpCode::CC;
  cc.dst_ref = cr.src_ref;  // ISO 8073: CC dst ref = CR src ref
  cc.src_ref = own_ref;
  cc.class_option = 0;
  bool has_size = false;
  // Echo C0/C1/C2 in the CR's order (fact sheet 1.5: nodes7 and gos7 need the 22-byte CC).
  for (const auto& p : cr.params) {
    if (p.code == kParamTpduSize) has_size = true;
    if (p.code == kParamTpduSize || p.code == kParamCallingTsap || p.code == kParamCalledTsap)
      cc.params.push_back(p);
  }
  if (!has_size) cc.params.insert(cc.params.begin(), CotpParam{kParamTpduSize, {tpdu_size_code}});
  return cc;
}

Bytes encode_frame(const CotpConnect& c) {
  std::size_t li = kConnectFixed;
  for (const auto& p : c.params) li += 2 + p.value.size();
  Bytes out;
  out.reserve(kTpktHeader + 1 + li);
  put_tpkt(out, kTpktHeader + 1 + li);
  out.push_back(static_cast<std::uint8_t>(li));
  out.push_back(static_cast<std::uint8_t>(c.code));
  put16(out, c.dst_ref);
  put16(out, c.src_ref);
  out.push_back(c.class_option);
  for (const auto& p : c.params) {
    out.push_back(p.code);
    out.push_back(static_cast<std::uint8_t>(p.value.size()));
    out.insert(out.end(), p.value.begin(), p.value.end());
  }
  return out;
}

Bytes encode_frame(const CotpDisconnect& d) {
  const bool dr = d.code == CotpCode::DR;
  const std::size_t li = (dr ? kDrFixed : kDcFixed) + d.variable.size();
  Bytes out;
  out.reserve(kTpktHeader + 1 + li + d.user_data.size());
  put_tpkt(out, kTpktHeader + 1 + li + d.user_data.size());
  out.push_back(static_cast<std::uint8_t>(li));
  out.push_back(static_cast<std::uint8_t>(d.code));
  put16(out, d.dst_ref);
  put16(out, d.src_ref);
  if (dr) out.push_back(d.reason);
  out.insert(out.end(), d.variable.begin(), d.variable.end());
  out.insert(out.end(), d.user_data.begin(), d.user_data.end());
  return out;
}

Bytes encode_data_frame(ByteView s7_pdu) {
  Bytes out;
  out.reserve(kTpktHeader + kCotpDtHeader + s7_pdu.size());
  append_data_frame(out, s7_pdu);
  return out;
}

void append_data_frame(Bytes& out, ByteView s7_pdu) {
  put_tpkt(out, kTpktHeader + kCotpDtHeader + s7_pdu.size());
  // COTP DT, class 0: LI 2, code 0xF0, EOT set, TPDU number 0 (fact sheet 1.3).
  out.push_back(kCotpDtLength);
  out.push_back(static_cast<std::uint8_t>(CotpCode::DT));
  out.push_back(kCotpEot);
  out.insert(out.end(), s7_pdu.begin(), s7_pdu.end());
}

void FrameReader::feed(ByteView chunk) {
  if (error_) return;
  // Lazy compaction: drop consumed bytes only when they dominate the buffer, so a stream of
  // small frames costs one memmove per many frames instead of one per frame.
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > 4096 && pos_ * 2 > buf_.size()) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buf_.insert(buf_.end(), chunk.begin(), chunk.end());
}

Result<std::optional<Frame>> FrameReader::next() {
  auto fail = [this](std::string why) -> Result<std::optional<Frame>> {
    error_ = frame_error(std::move(why));
    return *error_;
  };
  while (true) {
    if (error_) return *error_;
    const std::size_t avail = buf_.size() - pos_;
    if (avail < kTpktHeader) return std::optional<Frame>{};
    const std::uint8_t* p = buf_.data() + pos_;
    // RFC 1006: version 3, reserved byte, 16-bit length including the 4-byte header.
    if (p[0] != kTpktVersion) return fail("TPKT version is not 3");
    const std::size_t len = get16(p + 2);
    // Smallest TPDU we accept is an empty DT: TPKT 4 + LI + type + EOT = 7 bytes.
    if (len < kTpktHeader + kCotpDtHeader) return fail("TPKT length below 7");
    if (len > max_pdu_ + kTpktHeader + kCotpDtHeader) return fail("TPKT length above the limit");
    if (avail < len) return std::optional<Frame>{};

    const std::uint8_t* cotp = p + kTpktHeader;
    const std::size_t cotp_size = len - kTpktHeader;
    const std::size_t li = cotp[0];
    if (li < 2 || li + 1 > cotp_size) return fail("COTP length indicator out of range");
    const auto code = static_cast<std::uint8_t>(cotp[1] & kCotpCodeMask);
    pos_ += len;

    switch (code) {
      case static_cast<std::uint8_t>(CotpCode::DT): {
        // Class 0 DT has LI 2 (Wireshark accepts no other); byte 2: EOT + TPDU number.
        if (li != kCotpDtLength) return fail("COTP DT with length indicator other than 2");
        const bool eot = (cotp[2] & kCotpEot) != 0;
        const std::uint8_t* data = cotp + kCotpDtHeader;
        const std::size_t n = cotp_size - kCotpDtHeader;
        if (partial_.size() + n > max_pdu_) return fail("reassembled S7 PDU above the limit");
        if (eot && partial_.empty()) {
          if (n == 0) continue;  // empty DT ("fast acknowledge"): ignore
          spare_.assign(data, data + n);
          return std::optional<Frame>{CotpData{std::move(spare_)}};
        }
        partial_.insert(partial_.end(), data, data + n);
        if (n > 0) ++fragments_;
        if (!eot) continue;  // more fragments follow; an empty non-EOT DT changes nothing
        CotpData d{std::move(partial_)};
        partial_ = Bytes{};
        fragments_ = 0;
        return std::optional<Frame>{std::move(d)};
      }
      case static_cast<std::uint8_t>(CotpCode::CR):
      case static_cast<std::uint8_t>(CotpCode::CC): {
        // The LI must cover the whole TPDU (python-snap7#813: off-by-one LIs get rejected).
        if (li + 1 != cotp_size) return fail("COTP CR/CC length indicator does not match TPKT");
        auto f = parse_connect(cotp, cotp_size);
        if (!f) return fail(f.error().message);
        return std::optional<Frame>{std::move(*f)};
      }
      case static_cast<std::uint8_t>(CotpCode::DR):
      case static_cast<std::uint8_t>(CotpCode::DC): {
        auto f = parse_disconnect(cotp, cotp_size, li);
        if (!f) return fail(f.error().message);
        return std::optional<Frame>{std::move(*f)};
      }
      default:
        return fail("unsupported COTP TPDU code");
    }
  }
}

}  // namespace s7
