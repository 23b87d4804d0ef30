// The disk spool of a network output: append-only segment files of checksummed records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "platform/file.hpp"
#include "s7/error.hpp"

namespace logger {

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and PNG): crc32("123456789") is
// 0xCBF43926. `prev` continues an earlier result: crc32(b, crc32(a)) == crc32(a + b).
std::uint32_t crc32(std::span<const std::uint8_t> data, std::uint32_t prev = 0);

struct SpoolOptions {
  std::string dir;                                   // UTF-8; created when missing
  std::uint64_t max_bytes = std::uint64_t{1} << 30;  // the segment files together, headers included
  // The size a segment is closed at: 0 picks min(16 MiB, max_bytes / 8), at least 4 KiB. Never
  // more than max_bytes. A single record larger than this gets a segment of its own.
  std::uint64_t segment_bytes = 0;
  // fsync the segment after each append and the head file before it replaces the old one:
  // for a power cut. A crash or kill -9 of s7log needs none (write(2) is enough for that).
  bool fsync = false;
};

// What open() found on the disk.
struct SpoolRecovery {
  std::uint64_t segments = 0;            // segment files kept
  std::uint64_t records = 0;             // unconsumed records kept
  std::uint64_t bytes_cut = 0;           // torn or corrupt bytes cut from segment tails
  std::uint64_t segments_set_aside = 0;  // segments with a wrong header, renamed to *.bad
  // One sentence per problem, naming the file and the byte offset, and what was done.
  std::vector<std::string> problems;
  bool clean() const { return problems.empty(); }
};

// Files in `dir`, all integers little-endian:
// - Segments `NNNNNNNNNNNN.seg` (12 decimal digits, numbered upwards; the oldest is the lowest):
//   an 8-byte header "S7SPOOL" + version byte 0x01, then records:
//     u32 length of the payload, u32 CRC-32, i64 timestamp (unix ms, of the sample), payload.
//   The CRC covers the length field, the timestamp and the payload (all but the CRC field).
//   Example: ts 1000, payload 2a gives 01 00 00 00 | c1 72 38 06 | e8 03 00 00 00 00 00 00 | 2a.
// - `head`: where reading goes on, replaced atomically (written to head.tmp, renamed over):
//     8 bytes "S7HEAD" 00 01, u64 segment number, u64 offset of the first unconsumed record in
//     it, u32 CRC-32 of the 24 bytes before. Segments numbered below it are consumed.
//
// Contract:
// - append() writes with one write(2) (WriteFile) and no user-space buffer: once it returns, the
//   record survives a kill -9 of the process (and a power cut with `fsync`).
// - When a record would take the spool over max_bytes, whole oldest segments are deleted; their
//   unconsumed records are counted in dropped(). A record that cannot fit even an empty spool is
//   refused (invalid_argument) and nothing is written.
// - Records come back in the order they were appended. peek() reads without consuming; pop(n)
//   consumes the first n records of the last peek() and persists the read position before it
//   deletes consumed segments, so a kill -9 at any point can return records again, never lose
//   unconsumed ones.
// - open() cuts a segment at its last good record when a record is torn (runs past the end of
//   the file) or fails its checksum (the rest of that segment goes too; later segments stay),
//   sets a segment with a wrong header aside as *.bad, and reports each in recovery().
// - Errors name the file and the OS's reason; after one the spool is still usable (a partial
//   write is cut back, or its segment is closed and a new one started).
// - Not thread-safe: one thread (the output's queue thread) uses it.
class Spool {
 public:
  struct Record {
    std::int64_t ts_unix_ms = 0;
    std::vector<std::uint8_t> payload;
    friend bool operator==(const Record&, const Record&) = default;
  };
  // One record for append_batch (the payload is copied into the write buffer).
  struct Input {
    std::int64_t ts_unix_ms = 0;
    std::span<const std::uint8_t> payload;
  };

  // Errors: invalid_argument (max_bytes below 64 bytes, an unusable dir), or an OS error naming
  // the directory. Problems in the files are no error: they are cut and reported in recovery().
  static s7::Result<std::unique_ptr<Spool>> open(SpoolOptions options);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  s7::Result<void> append(std::int64_t ts_unix_ms, std::span<const std::uint8_t> payload);
  // All records or none: one write per segment they go into (one in all, unless they cross the
  // segment size). A refused record refuses the batch; on a write error none of the batch stays.
  s7::Result<void> append_batch(std::span<const Input> records);

  // The oldest unconsumed records, at most `max_records`, and no more than `max_bytes` of
  // payload unless the first record alone is larger (it is returned alone). A record whose
  // checksum fails now (the file was changed under the spool) is an error: its segment is cut
  // there, so the next peek() goes on after it.
  s7::Result<std::vector<Record>> peek(std::size_t max_records, std::size_t max_bytes);
  // Consumes the first `n` records of the last peek() (n beyond that: invalid_argument). Records
  // dropped since that peek() count as consumed already. When the head file cannot be written
  // the error says so; the records stay consumed in this run but may come back after a restart.
  s7::Result<void> pop(std::size_t n);

  std::uint64_t records() const { return records_; }  // unconsumed
  std::uint64_t bytes() const { return bytes_; }      // the segment files on disk
  std::uint64_t dropped() const { return dropped_; }  // dropped because full, since open()
  std::optional<std::int64_t> oldest_ts_ms() const;   // of the oldest unconsumed record
  const SpoolRecovery& recovery() const { return recovery_; }
  const std::string& dir() const { return dir_; }

 private:
  struct Segment {
    std::uint64_t seq = 0;
    std::uint64_t size = 0;     // bytes in the file that are known good
    std::uint64_t start = 0;    // offset of the first unconsumed record
    std::uint64_t records = 0;  // unconsumed records
    std::int64_t first_ts = 0;  // of the record at `start` (when records > 0)
  };
  struct Peeked {
    std::uint64_t seq = 0;
    std::uint64_t end = 0;  // offset after the record
  };

  explicit Spool(SpoolOptions options);
  s7::Result<void> recover();
  std::string segment_path(std::uint64_t seq) const;
  void drop_oldest();
  void remove_segment_file(const Segment& seg);
  s7::Result<void> write_head(std::uint64_t seq, std::uint64_t offset);
  void cut_segment(std::size_t index, std::uint64_t offset);

  SpoolOptions options_;
  std::string dir_;
  std::uint64_t segment_bytes_ = 0;
  std::deque<Segment> segs_;
  platform::AppendFile active_;  // open on segs_.back() when it takes appends
  std::uint64_t active_seq_ = 0;
  std::uint64_t next_seq_ = 1;
  std::uint64_t records_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t dropped_ = 0;
  std::vector<Peeked> peeked_;
  SpoolRecovery recovery_;
};

}  // namespace logger
