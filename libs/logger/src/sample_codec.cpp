// The binary sample encoding of the spool: little-endian writer and a bounds-checked reader.
#include "logger/sample_codec.hpp"

#include <bit>
#include <chrono>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace logger {

namespace {

enum class Kind : std::uint8_t { boolean, int64, uint64, float32, float64, string };
enum class Form : std::uint8_t { none, scalar, array };

void put_u8(std::vector<std::uint8_t>& out, std::uint8_t v) {
  out.push_back(v);
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_u64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_count(std::vector<std::uint8_t>& out, std::size_t n) {
  put_u32(out, static_cast<std::uint32_t>(n));
}

void put_str(std::vector<std::uint8_t>& out, std::string_view s) {
  put_count(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

void put_scalar(std::vector<std::uint8_t>& out, const s7::Scalar& v) {
  put_u8(out, static_cast<std::uint8_t>(v.index()));
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) {
          put_u8(out, x ? 1 : 0);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          put_u64(out, static_cast<std::uint64_t>(x));
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
          put_u64(out, x);
        } else if constexpr (std::is_same_v<T, float>) {
          put_u32(out, std::bit_cast<std::uint32_t>(x));
        } else if constexpr (std::is_same_v<T, double>) {
          put_u64(out, std::bit_cast<std::uint64_t>(x));
        } else {
          put_str(out, x);
        }
      },
      v);
}

// Reads the encoding front to back; every get fails (and stays failed) when too few bytes are
// left, and the first failure is what decode_sample reports.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> b) : b_(b) {}

  std::size_t pos() const { return pos_; }
  std::size_t left() const { return b_.size() - pos_; }

  bool need(std::size_t n, const char* what) {
    if (left() >= n) return true;
    error_ = "sample: truncated at byte " + std::to_string(pos_) + " (reading " + what + ", " +
             std::to_string(n) + " bytes needed, " + std::to_string(left()) + " left)";
    return false;
  }
  bool u8(std::uint8_t& v, const char* what) {
    if (!need(1, what)) return false;
    v = b_[pos_++];
    return true;
  }
  bool u32(std::uint32_t& v, const char* what) {
    if (!need(4, what)) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(b_[pos_++]) << (8 * i);
    return true;
  }
  bool u64(std::uint64_t& v, const char* what) {
    if (!need(8, what)) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(b_[pos_++]) << (8 * i);
    return true;
  }
  bool str(std::string& s, const char* what) {
    std::uint32_t n = 0;
    if (!u32(n, what) || !need(n, what)) return false;
    s.assign(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  // A count of items of at least `min_item` bytes each: more than the bytes left can hold is an
  // error, so a caller may reserve() what this returns.
  bool count(std::uint32_t& n, std::size_t min_item, const char* what) {
    const std::size_t at = pos_;
    if (!u32(n, what)) return false;
    if (n > left() / min_item) {
      error_ = "sample: " + std::string(what) + " " + std::to_string(n) + " at byte " +
               std::to_string(at) + " is more than the " + std::to_string(left()) +
               " bytes left can hold";
      return false;
    }
    return true;
  }
  bool fail(std::size_t at, const std::string& why) {
    error_ = "sample: " + why + " at byte " + std::to_string(at);
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  std::span<const std::uint8_t> b_;
  std::size_t pos_ = 0;
  std::string error_;
};

bool get_quality(Reader& r, Quality& q, const char* what) {
  const std::size_t at = r.pos();
  std::uint8_t v = 0;
  if (!r.u8(v, what)) return false;
  if (v > static_cast<std::uint8_t>(Quality::item_error))
    return r.fail(at, std::string("unknown ") + what + " " + std::to_string(v));
  q = static_cast<Quality>(v);
  return true;
}

bool get_scalar(Reader& r, s7::Scalar& out) {
  const std::size_t at = r.pos();
  std::uint8_t kind = 0;
  if (!r.u8(kind, "an element kind")) return false;
  switch (static_cast<Kind>(kind)) {
    case Kind::boolean: {
      std::uint8_t v = 0;
      if (!r.u8(v, "a bool")) return false;
      if (v > 1) return r.fail(at + 1, "bool " + std::to_string(v) + " (not 0 or 1)");
      out = v == 1;
      return true;
    }
    case Kind::int64: {
      std::uint64_t v = 0;
      if (!r.u64(v, "an int64")) return false;
      out = static_cast<std::int64_t>(v);
      return true;
    }
    case Kind::uint64: {
      std::uint64_t v = 0;
      if (!r.u64(v, "a uint64")) return false;
      out = v;
      return true;
    }
    case Kind::float32: {
      std::uint32_t v = 0;
      if (!r.u32(v, "a float")) return false;
      out = std::bit_cast<float>(v);
      return true;
    }
    case Kind::float64: {
      std::uint64_t v = 0;
      if (!r.u64(v, "a double")) return false;
      out = std::bit_cast<double>(v);
      return true;
    }
    case Kind::string: {
      std::string s;
      if (!r.str(s, "a string")) return false;
      out = std::move(s);
      return true;
    }
  }
  return r.fail(at, "unknown element kind " + std::to_string(kind));
}

bool get_tag_value(Reader& r, TagValue& tv) {
  if (!get_quality(r, tv.quality, "value quality")) return false;
  const std::size_t at = r.pos();
  std::uint8_t form = 0;
  if (!r.u8(form, "a value form")) return false;
  if (form == static_cast<std::uint8_t>(Form::none)) return true;
  if (form > static_cast<std::uint8_t>(Form::array))
    return r.fail(at, "unknown value form " + std::to_string(form));
  std::uint32_t n = 0;
  if (!r.count(n, 2, "element count")) return false;  // the smallest element: kind + bool
  s7::Value v;
  v.array = form == static_cast<std::uint8_t>(Form::array);
  v.elems.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    s7::Scalar s;
    if (!get_scalar(r, s)) return false;
    v.elems.push_back(std::move(s));
  }
  tv.value = std::move(v);
  return true;
}

}  // namespace

void encode_sample(const Sample& s, std::vector<std::uint8_t>& out) {
  put_u8(out, kSampleCodecVersion);
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(s.ts.time_since_epoch());
  put_u64(out, static_cast<std::uint64_t>(ns.count()));
  put_u8(out, static_cast<std::uint8_t>(s.quality));
  put_u8(out, s.missed ? 1 : 0);
  put_str(out, s.plc);
  put_str(out, s.group);
  put_count(out, s.values.size());
  for (const auto& tv : s.values) {
    put_u8(out, static_cast<std::uint8_t>(tv.quality));
    if (!tv.value) {
      put_u8(out, static_cast<std::uint8_t>(Form::none));
      continue;
    }
    put_u8(out, static_cast<std::uint8_t>(tv.value->array ? Form::array : Form::scalar));
    put_count(out, tv.value->elems.size());
    for (const auto& e : tv.value->elems) put_scalar(out, e);
  }
}

std::vector<std::uint8_t> encode_sample(const Sample& s) {
  std::vector<std::uint8_t> out;
  encode_sample(s, out);
  return out;
}

s7::Result<Sample> decode_sample(std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  auto fail = [&r] { return s7::Error(s7::Errc::invalid_argument, r.error()); };
  std::uint8_t version = 0;
  if (!r.u8(version, "the version")) return fail();
  if (version != kSampleCodecVersion)
    return s7::Error(s7::Errc::invalid_argument,
                     "sample: unknown encoding version " + std::to_string(version) +
                         " (this s7log reads version " + std::to_string(kSampleCodecVersion) + ")");
  Sample s;
  std::uint64_t ts = 0;
  if (!r.u64(ts, "the timestamp")) return fail();
  s.ts = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(static_cast<std::int64_t>(ts))));
  if (!get_quality(r, s.quality, "sample quality")) return fail();
  const std::size_t flags_at = r.pos();
  std::uint8_t flags = 0;
  if (!r.u8(flags, "the flags")) return fail();
  if (flags > 1) {
    r.fail(flags_at, "unknown flag bits " + std::to_string(flags));
    return fail();
  }
  s.missed = flags == 1;
  if (!r.str(s.plc, "the plc name") || !r.str(s.group, "the group name")) return fail();
  std::uint32_t n = 0;
  if (!r.count(n, 2, "value count")) return fail();  // the smallest value: quality + form
  s.values.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    TagValue tv;
    if (!get_tag_value(r, tv)) return fail();
    s.values.push_back(std::move(tv));
  }
  if (r.left() != 0)
    return s7::Error(s7::Errc::invalid_argument, "sample: " + std::to_string(r.left()) +
                                                     " bytes after the sample at byte " +
                                                     std::to_string(r.pos()));
  return s;
}

}  // namespace logger
