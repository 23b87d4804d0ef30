// The disk spool: segment files of CRC-checked records, a head file, recovery at open.
#include "logger/spool.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "util/u8path.hpp"

namespace logger {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kSegmentHeaderSize = 8;
constexpr std::array<std::uint8_t, kSegmentHeaderSize> kSegmentMagic = {'S', '7', 'S', 'P',
                                                                        'O', 'O', 'L', 1};
constexpr std::uint64_t kRecordHeaderSize = 16;  // u32 length, u32 CRC, i64 timestamp
constexpr std::size_t kHeadSize = 28;
constexpr std::array<std::uint8_t, 8> kHeadMagic = {'S', '7', 'H', 'E', 'A', 'D', 0, 1};
constexpr std::uint64_t kMinMaxBytes = 64;
constexpr std::size_t kSeqDigits = 12;
constexpr std::string_view kSegmentExt = ".seg";

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kCrcTable = make_crc_table();

void put_u32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put_u64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get_u32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
  return v;
}
std::uint64_t get_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return v;
}

// The CRC of a record: its length field, its timestamp, then (continued by the caller) its
// payload.
std::uint32_t record_header_crc(const std::uint8_t* header) {
  return crc32(std::span<const std::uint8_t>(header + 8, 8),
               crc32(std::span<const std::uint8_t>(header, 4)));
}

std::string os_reason(const std::error_code& ec) {
  return platform::file_error_text(ec);
}

s7::Error file_error(const char* what, const std::string& path, const std::error_code& ec) {
  return s7::Error(ec, fmt::format("spool: cannot {} {}: {}", what, path, os_reason(ec)));
}

// Writes all of `data`: a short write is followed by another, which then says why (disk full).
std::error_code write_all(platform::AppendFile& f, std::span<const std::uint8_t> data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const auto r = f.append(
        std::string_view(reinterpret_cast<const char*>(data.data()) + done, data.size() - done));
    if (r.error) return r.error;
    if (r.bytes == 0) return std::make_error_code(std::errc::io_error);
    done += r.bytes;
  }
  return {};
}

// A segment's number from its file name: 12 digits then ".seg" (and, with `exact` false,
// anything after, as in "000000000007.seg.bad").
std::optional<std::uint64_t> seq_of(std::string_view name, bool exact) {
  if (name.size() < kSeqDigits + kSegmentExt.size()) return std::nullopt;
  if (name.substr(kSeqDigits, kSegmentExt.size()) != kSegmentExt) return std::nullopt;
  if (exact && name.size() != kSeqDigits + kSegmentExt.size()) return std::nullopt;
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < kSeqDigits; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    seq = seq * 10 + static_cast<std::uint64_t>(name[i] - '0');
  }
  return seq;
}

struct Head {
  std::uint64_t seq = 0;
  std::uint64_t offset = 0;
};

// What a scan of one segment found.
struct Scan {
  enum class Header { ok, torn, wrong } header = Header::ok;
  std::uint64_t file_size = 0;
  std::uint64_t good_end = 0;  // after the last good record
  std::uint64_t start = 0;     // first record at or after the head offset (good_end: none)
  std::uint64_t records = 0;   // good records from `start` on
  std::int64_t first_ts = 0;   // of the record at `start`
  std::string problem;         // why the scan stopped before file_size
  std::error_code read_error;
};

// Reads a segment front to back, checking every record. `consumed_before`: records starting
// before this offset are consumed (the head points into this segment).
Scan scan_segment(const fs::path& path, std::uint64_t consumed_before) {
  Scan s;
  std::error_code ec;
  s.file_size = fs::file_size(path, ec);
  if (ec) {
    s.read_error = ec;
    return s;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    s.read_error = std::make_error_code(std::errc::io_error);
    return s;
  }
  std::array<std::uint8_t, kSegmentHeaderSize> magic{};
  const auto head_len = static_cast<std::size_t>(std::min(s.file_size, kSegmentHeaderSize));
  in.read(reinterpret_cast<char*>(magic.data()), static_cast<std::streamsize>(head_len));
  if (static_cast<std::size_t>(in.gcount()) != head_len) {
    s.read_error = std::make_error_code(std::errc::io_error);
    return s;
  }
  if (!std::equal(magic.begin(), magic.begin() + static_cast<std::ptrdiff_t>(head_len),
                  kSegmentMagic.begin())) {
    s.header = Scan::Header::wrong;
    return s;
  }
  if (head_len < kSegmentHeaderSize) {
    s.header = Scan::Header::torn;
    return s;
  }
  std::uint64_t off = kSegmentHeaderSize;
  s.good_end = off;
  s.start = off;
  bool started = false;
  std::vector<std::uint8_t> buf(64 * 1024);
  while (off < s.file_size) {
    const std::uint64_t left = s.file_size - off;
    std::uint8_t h[kRecordHeaderSize];
    if (left < kRecordHeaderSize) {
      s.problem =
          fmt::format("torn record at offset {} ({} bytes, less than a record header)", off, left);
      break;
    }
    in.read(reinterpret_cast<char*>(h), static_cast<std::streamsize>(kRecordHeaderSize));
    if (!in) {
      s.read_error = std::make_error_code(std::errc::io_error);
      break;
    }
    const std::uint64_t len = get_u32(h);
    if (len > left - kRecordHeaderSize) {
      s.problem =
          fmt::format("torn record at offset {} (it says {} bytes of payload, {} are there)", off,
                      len, left - kRecordHeaderSize);
      break;
    }
    std::uint32_t crc = record_header_crc(h);
    for (std::uint64_t done = 0; done < len;) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), len - done));
      in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(n));
      if (!in) break;
      crc = crc32(std::span<const std::uint8_t>(buf.data(), n), crc);
      done += n;
    }
    if (!in) {
      s.read_error = std::make_error_code(std::errc::io_error);
      break;
    }
    if (crc != get_u32(h + 4)) {
      s.problem = fmt::format("bad checksum of the record at offset {}", off);
      break;
    }
    if (off >= consumed_before) {
      if (!started) {
        started = true;
        s.start = off;
        s.first_ts = static_cast<std::int64_t>(get_u64(h + 8));
      }
      ++s.records;
    }
    off += kRecordHeaderSize + len;
    s.good_end = off;
  }
  if (!started) s.start = s.good_end;
  return s;
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> data, std::uint32_t prev) {
  std::uint32_t c = ~prev;
  for (std::uint8_t b : data) c = kCrcTable[(c ^ b) & 0xFFu] ^ (c >> 8);
  return ~c;
}

Spool::Spool(SpoolOptions options) : options_(std::move(options)), dir_(options_.dir) {
  const std::uint64_t max = options_.max_bytes;
  segment_bytes_ = options_.segment_bytes;
  if (segment_bytes_ == 0)
    segment_bytes_ = std::max<std::uint64_t>(std::min<std::uint64_t>(16u << 20, max / 8), 4096);
  segment_bytes_ = std::min(segment_bytes_, max);
}

Spool::~Spool() = default;

s7::Result<std::unique_ptr<Spool>> Spool::open(SpoolOptions options) {
  if (options.dir.empty()) return s7::Error(s7::Errc::invalid_argument, "spool: no folder given");
  if (options.max_bytes < kMinMaxBytes)
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("spool {}: max_bytes {} is too small (at least {})", options.dir,
                                 options.max_bytes, kMinMaxBytes));
  std::unique_ptr<Spool> spool(new Spool(std::move(options)));
  if (auto r = spool->recover(); !r) return r.error();
  return spool;
}

std::string Spool::segment_path(std::uint64_t seq) const {
  return util::path_text(util::u8path(dir_) /
                         fmt::format("{:0{}}{}", seq, kSeqDigits, kSegmentExt));
}

s7::Result<void> Spool::recover() {
  const fs::path dir = util::u8path(dir_);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return file_error("create the folder", dir_, ec);
  if (!fs::is_directory(dir, ec))
    return s7::Error(s7::Errc::invalid_argument, fmt::format("spool: {} is not a folder", dir_));

  // The read position.
  std::optional<Head> head;
  const fs::path head_path = dir / "head";
  if (fs::exists(head_path, ec)) {
    std::array<std::uint8_t, kHeadSize + 1> b{};
    std::ifstream in(head_path, std::ios::binary);
    in.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(b.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == kHeadSize && std::equal(kHeadMagic.begin(), kHeadMagic.end(), b.begin()) &&
        crc32(std::span<const std::uint8_t>(b.data(), 24)) == get_u32(b.data() + 24)) {
      head = Head{get_u64(b.data() + 8), get_u64(b.data() + 16)};
    } else {
      recovery_.problems.push_back(
          fmt::format("{}: not a valid read position ({} bytes); replaying from the oldest "
                      "segment (records may be sent twice)",
                      util::path_text(head_path), got));
    }
  }
  fs::remove(dir / "head.tmp", ec);

  // The segment files, oldest first; numbers of set-aside files are never used again.
  std::vector<std::uint64_t> seqs;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = util::path_text(it->path().filename());
    const auto seq = seq_of(name, false);
    if (!seq) continue;
    next_seq_ = std::max(next_seq_, *seq + 1);
    std::error_code kind_ec;
    if (seq_of(name, true) && it->is_regular_file(kind_ec)) seqs.push_back(*seq);
  }
  if (ec) return file_error("list the folder", dir_, ec);
  std::sort(seqs.begin(), seqs.end());
  if (head) next_seq_ = std::max(next_seq_, head->seq + 1);

  std::optional<std::uint64_t> clean_seq;  // the last kept segment, when it ends at a record
  for (const std::uint64_t seq : seqs) {
    const std::string path = segment_path(seq);
    const fs::path p = util::u8path(path);
    if (head && seq < head->seq) {  // consumed; a crash came between head update and delete
      fs::remove(p, ec);
      continue;
    }
    const Scan s = scan_segment(p, head && seq == head->seq ? head->offset : 0);
    if (s.read_error) {
      recovery_.problems.push_back(
          fmt::format("{}: cannot read it ({}); left as it is", path, os_reason(s.read_error)));
      continue;
    }
    if (s.header == Scan::Header::torn) {
      fs::remove(p, ec);
      recovery_.problems.push_back(fmt::format(
          "{}: only {} bytes of its 8-byte header (a crash while it was created); removed", path,
          s.file_size));
      continue;
    }
    if (s.header == Scan::Header::wrong) {
      std::string bad = path + ".bad";
      for (int i = 1; fs::exists(util::u8path(bad), ec) && i < 1000; ++i)
        bad = path + ".bad" + std::to_string(i);
      fs::rename(p, util::u8path(bad), ec);
      ++recovery_.segments_set_aside;
      recovery_.problems.push_back(
          ec ? fmt::format("{}: not a spool segment of this version (wrong header at offset 0); "
                           "cannot set it aside: {}",
                           path, os_reason(ec))
             : fmt::format("{}: not a spool segment of this version (wrong header at offset "
                           "0); set aside as {}",
                           path, bad));
      continue;
    }
    std::uint64_t size = s.file_size;
    bool appendable = s.problem.empty();
    if (!s.problem.empty()) {
      const std::uint64_t cut = s.file_size - s.good_end;
      fs::resize_file(p, s.good_end, ec);
      if (ec) {
        recovery_.problems.push_back(fmt::format("{}: {}; cannot cut the {} bytes from there: {}",
                                                 path, s.problem, cut, os_reason(ec)));
      } else {
        recovery_.problems.push_back(
            fmt::format("{}: {}; cut {} bytes there (that record and the rest of the segment)",
                        path, s.problem, cut));
        recovery_.bytes_cut += cut;
        appendable = true;
      }
      size = s.good_end;
    }
    if (s.records == 0) {  // consumed or empty
      fs::remove(p, ec);
      continue;
    }
    segs_.push_back(Segment{seq, size, s.start, s.records, s.first_ts});
    clean_seq = appendable ? std::optional<std::uint64_t>(seq) : std::nullopt;
    records_ += s.records;
    bytes_ += size;
  }
  recovery_.segments = segs_.size();
  recovery_.records = records_;

  // A smaller max_bytes than the last run's.
  while (bytes_ > options_.max_bytes && !segs_.empty()) {
    const Segment& s = segs_.front();
    recovery_.problems.push_back(
        fmt::format("{}: the spool holds {} bytes, more than max_bytes {}: dropped this oldest "
                    "segment ({} records)",
                    segment_path(s.seq), bytes_, options_.max_bytes, s.records));
    drop_oldest();
  }

  if (!segs_.empty() && clean_seq == segs_.back().seq && segs_.back().seq == seqs.back() &&
      segs_.back().size < segment_bytes_) {
    if (!active_.open_existing(segment_path(segs_.back().seq)) &&
        active_.kind() == platform::FileKind::regular) {
      active_seq_ = segs_.back().seq;
    } else {
      active_.close();
    }
  }
  return {};
}

void Spool::remove_segment_file(const Segment& seg) {
  if (active_seq_ == seg.seq) {
    active_.close();
    active_seq_ = 0;
  }
  std::error_code ec;
  fs::remove(util::u8path(segment_path(seg.seq)), ec);  // a leftover comes back at open
}

void Spool::drop_oldest() {
  const Segment s = segs_.front();
  remove_segment_file(s);
  bytes_ -= s.size;
  records_ -= s.records;
  dropped_ += s.records;
  segs_.pop_front();
}

s7::Result<void> Spool::append(std::int64_t ts_unix_ms, std::span<const std::uint8_t> payload) {
  const Input in{ts_unix_ms, payload};
  return append_batch(std::span<const Input>(&in, 1));
}

s7::Result<void> Spool::append_batch(std::span<const Input> records) {
  const std::uint64_t max = options_.max_bytes;
  for (const auto& r : records) {
    if (r.payload.size() > 0xFFFFFFFFu ||
        kSegmentHeaderSize + kRecordHeaderSize + r.payload.size() > max)
      return s7::Error(s7::Errc::invalid_argument,
                       fmt::format("spool {}: a record of {} bytes does not fit max_bytes {}", dir_,
                                   r.payload.size(), max));
  }
  auto rec_size = [&](std::size_t k) { return kRecordHeaderSize + records[k].payload.size(); };

  // What each written chunk changed, to take the batch back when a later chunk fails.
  struct Undo {
    std::uint64_t seq;
    bool fresh;
    std::uint64_t size, start, records;
    std::int64_t first_ts;
  };
  std::vector<Undo> undo;
  auto rollback = [&] {
    for (auto u = undo.rbegin(); u != undo.rend(); ++u) {
      auto it = std::find_if(segs_.begin(), segs_.end(),
                             [&](const Segment& s) { return s.seq == u->seq; });
      if (it == segs_.end()) continue;  // dropped by a later chunk
      bytes_ -= it->size;
      records_ -= it->records;
      if (u->fresh) {
        remove_segment_file(*it);
        segs_.erase(it);
        continue;
      }
      std::error_code ec;
      if (active_seq_ == it->seq) {
        ec = active_.truncate(u->size);
      } else {
        fs::resize_file(util::u8path(segment_path(it->seq)), u->size, ec);
      }
      if (ec && active_seq_ == it->seq) {  // bytes past `size` now: no more appends there
        active_.close();
        active_seq_ = 0;
      }
      *it = Segment{it->seq, u->size, u->start, u->records, u->first_ts};
      bytes_ += it->size;
      records_ += it->records;
    }
  };

  std::vector<std::uint8_t> buf;
  for (std::size_t i = 0; i < records.size();) {
    bool fresh = segs_.empty() || !active_.is_open() || active_seq_ != segs_.back().seq ||
                 segs_.back().size + rec_size(i) > segment_bytes_;
    const std::uint64_t base = fresh ? kSegmentHeaderSize : segs_.back().size;
    std::size_t j = i;
    std::uint64_t sum = 0;
    do {
      sum += rec_size(j++);
    } while (j < records.size() && base + sum + rec_size(j) <= segment_bytes_);
    while (!segs_.empty() && bytes_ + (fresh ? kSegmentHeaderSize : 0) + sum > max) {
      if (segs_.size() == 1) fresh = true;  // the segment we meant to append to goes too
      drop_oldest();
    }

    buf.clear();
    if (fresh) buf.insert(buf.end(), kSegmentMagic.begin(), kSegmentMagic.end());
    for (std::size_t k = i; k < j; ++k) {
      const auto& r = records[k];
      std::uint8_t h[kRecordHeaderSize];
      put_u32(h, static_cast<std::uint32_t>(r.payload.size()));
      put_u64(h + 8, static_cast<std::uint64_t>(r.ts_unix_ms));
      put_u32(h + 4, crc32(r.payload, record_header_crc(h)));
      buf.insert(buf.end(), h, h + kRecordHeaderSize);
      buf.insert(buf.end(), r.payload.begin(), r.payload.end());
    }

    const std::uint64_t seq = fresh ? next_seq_++ : segs_.back().seq;
    const std::string path = segment_path(seq);
    if (fresh) {
      active_.close();
      active_seq_ = 0;
      if (auto ec = active_.create_new(path)) {
        rollback();
        return file_error("create", path, ec);
      }
    }
    std::error_code ec = write_all(active_, buf);
    if (!ec && options_.fsync) ec = active_.sync();
    if (ec) {
      if (fresh) {
        active_.close();
        std::error_code rm;
        fs::remove(util::u8path(path), rm);
      } else if (active_.truncate(base)) {
        active_.close();  // bytes past the good end now: appends go to a new segment
        active_seq_ = 0;
      }
      rollback();
      return file_error("write", path, ec);
    }

    const std::uint64_t n = j - i;
    if (fresh) {
      active_seq_ = seq;
      segs_.push_back(
          Segment{seq, kSegmentHeaderSize + sum, kSegmentHeaderSize, n, records[i].ts_unix_ms});
      undo.push_back(Undo{seq, true, 0, 0, 0, 0});
      bytes_ += kSegmentHeaderSize + sum;
    } else {
      Segment& s = segs_.back();
      undo.push_back(Undo{seq, false, s.size, s.start, s.records, s.first_ts});
      if (s.records == 0) {
        s.start = s.size;
        s.first_ts = records[i].ts_unix_ms;
      }
      s.size += sum;
      s.records += n;
      bytes_ += sum;
    }
    records_ += n;
    i = j;
  }
  return {};
}

void Spool::cut_segment(std::size_t index, std::uint64_t offset) {
  Segment& s = segs_[index];
  std::error_code ec;
  if (active_seq_ == s.seq) {
    ec = active_.truncate(offset);
    if (ec) {
      active_.close();
      active_seq_ = 0;
    }
  } else {
    fs::resize_file(util::u8path(segment_path(s.seq)), offset, ec);
  }
  bytes_ -= s.size - offset;
  s.size = offset;
}

s7::Result<std::vector<Spool::Record>> Spool::peek(std::size_t max_records, std::size_t max_bytes) {
  peeked_.clear();
  std::vector<Record> out;
  std::uint64_t total = 0;
  for (std::size_t si = 0; si < segs_.size() && out.size() < max_records; ++si) {
    Segment& seg = segs_[si];
    if (seg.records == 0) continue;
    const std::string path = segment_path(seg.seq);
    std::ifstream in(util::u8path(path), std::ios::binary);
    if (in) in.seekg(static_cast<std::streamoff>(seg.start));
    if (!in) {
      peeked_.clear();
      return file_error("read", path, std::make_error_code(std::errc::io_error));
    }
    std::uint64_t off = seg.start;
    std::uint64_t read = 0;
    while (read < seg.records && out.size() < max_records) {
      std::uint8_t h[kRecordHeaderSize];
      std::string problem;
      Record r;
      std::uint64_t len = 0;
      if (seg.size - off < kRecordHeaderSize ||
          !in.read(reinterpret_cast<char*>(h), static_cast<std::streamsize>(kRecordHeaderSize))) {
        problem = "is cut short";
      } else {
        len = get_u32(h);
        r.ts_unix_ms = static_cast<std::int64_t>(get_u64(h + 8));
        if (!out.empty() && total + len > max_bytes) return out;
        if (len > seg.size - off - kRecordHeaderSize) {
          problem = "is cut short";
        } else {
          r.payload.resize(static_cast<std::size_t>(len));
          if (!in.read(reinterpret_cast<char*>(r.payload.data()),
                       static_cast<std::streamsize>(len)))
            problem = "is cut short";
          else if (crc32(r.payload, record_header_crc(h)) != get_u32(h + 4))
            problem = "fails its checksum";
        }
      }
      if (!problem.empty()) {  // changed on disk since it was written or checked
        in.close();
        const std::uint64_t lost = seg.records - read;
        cut_segment(si, off);
        seg.records -= lost;
        records_ -= lost;
        peeked_.clear();
        return s7::Error(s7::Errc::invalid_argument,
                         fmt::format("spool: {}: the record at offset {} {} (changed on disk?); "
                                     "cut the segment there, {} records lost",
                                     path, off, problem, lost));
      }
      off += kRecordHeaderSize + len;
      total += len;
      ++read;
      peeked_.push_back(Peeked{seg.seq, off});
      out.push_back(std::move(r));
    }
  }
  return out;
}

s7::Result<void> Spool::pop(std::size_t n) {
  if (n == 0) return {};
  if (n > peeked_.size())
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("spool: pop({}) after a peek of {} records", n, peeked_.size()));
  // Records in segments dropped since the peek are gone already.
  std::size_t si = 0;
  for (std::size_t k = 0; k < n; ++k) {
    while (si < segs_.size() && segs_[si].seq < peeked_[k].seq) ++si;
    if (si < segs_.size() && segs_[si].seq == peeked_[k].seq && segs_[si].records > 0) {
      --segs_[si].records;
      --records_;
    }
  }
  const Peeked target = peeked_[n - 1];
  peeked_.erase(peeked_.begin(), peeked_.begin() + static_cast<std::ptrdiff_t>(n));
  auto it = std::find_if(segs_.begin(), segs_.end(),
                         [&](const Segment& s) { return s.seq == target.seq; });
  if (it == segs_.end()) return {};  // all of it was dropped
  it->start = target.end;

  // The position first, then the deletes: a crash in between leaves consumed segments that the
  // next open() deletes, never a position behind unconsumed records.
  auto written = write_head(target.seq, target.end);
  while (!segs_.empty() && segs_.front().records == 0) {
    remove_segment_file(segs_.front());
    bytes_ -= segs_.front().size;
    segs_.pop_front();
  }
  if (!segs_.empty() && segs_.front().seq == target.seq) {
    Segment& s = segs_.front();
    std::ifstream in(util::u8path(segment_path(s.seq)), std::ios::binary);
    std::uint8_t h[kRecordHeaderSize];
    if (in.seekg(static_cast<std::streamoff>(s.start)) &&
        in.read(reinterpret_cast<char*>(h), static_cast<std::streamsize>(kRecordHeaderSize)))
      s.first_ts = static_cast<std::int64_t>(get_u64(h + 8));
  }
  return written;
}

s7::Result<void> Spool::write_head(std::uint64_t seq, std::uint64_t offset) {
  std::array<std::uint8_t, kHeadSize> b{};
  std::copy(kHeadMagic.begin(), kHeadMagic.end(), b.begin());
  put_u64(b.data() + 8, seq);
  put_u64(b.data() + 16, offset);
  put_u32(b.data() + 24, crc32(std::span<const std::uint8_t>(b.data(), 24)));
  const fs::path dir = util::u8path(dir_);
  const std::string tmp = util::path_text(dir / "head.tmp");
  std::error_code ec;
  fs::remove(util::u8path(tmp), ec);
  platform::AppendFile f;
  if ((ec = f.create_new(tmp))) return file_error("create", tmp, ec);
  ec = write_all(f, b);
  if (!ec && options_.fsync) ec = f.sync();
  f.close();
  if (ec) return file_error("write", tmp, ec);
  fs::rename(util::u8path(tmp), dir / "head", ec);
  if (ec) return file_error("replace the read position with", tmp, ec);
  return {};
}

std::optional<std::int64_t> Spool::oldest_ts_ms() const {
  for (const auto& s : segs_)
    if (s.records > 0) return s.first_ts;
  return std::nullopt;
}

}  // namespace logger
