// A network output: batches, the disk spool while the server is away, replay in order.
#include "logger/network_sink.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "logger/sample_codec.hpp"

namespace logger {

namespace {

std::int64_t unix_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Replaying this much at a time keeps new samples flowing in behind the replay.
constexpr std::size_t kReplayBytes = 8u << 20;
constexpr int kReplayBatchesPerTick = 8;

}  // namespace

NetworkSink::NetworkSink(Delivery& delivery, NetworkSinkOptions options, Stats* stats,
                         Notify notify, Clock* clock)
    : delivery_(delivery),
      options_(std::move(options)),
      total_(stats),
      notify_(std::move(notify)),
      clock_(clock),
      server_(delivery.describe()),
      backoff_(options_.reconnect) {
  if (clock_ == nullptr) {
    own_clock_ = std::make_unique<SystemClock>();
    clock_ = own_clock_.get();
  }
  stats_.name = options_.name;
  if (options_.batch_rows == 0) options_.batch_rows = 1;
}

NetworkSink::~NetworkSink() = default;

s7::Result<void> NetworkSink::ensure_spool() {
  if (spool_) return {};
  SpoolOptions so;
  so.dir = options_.spool_dir;
  so.max_bytes = options_.spool_max;
  so.fsync = options_.spool_fsync;
  auto s = Spool::open(so);
  if (!s)
    return s7::Error(s.error().code, fmt::format("{}: cannot open its spool {}: {}", options_.name,
                                                 options_.spool_dir, s.error().what()));
  spool_ = std::move(*s);
  const auto& rec = spool_->recovery();
  for (const auto& problem : rec.problems)
    if (notify_) notify_(fmt::format("{}: spool: {}", options_.name, problem));
  if (spool_->records() > 0 && notify_)
    notify_(
        fmt::format("{}: {} samples from an earlier run wait in the spool {}; they go to {} "
                    "first",
                    options_.name, spool_->records(), options_.spool_dir, server_));
  publish_spool_stats();
  return {};
}

s7::Result<void> NetworkSink::open(const std::vector<TagInfo>& tags) {
  return open_group("", "", tags);
}

s7::Result<void> NetworkSink::open_group(const std::string& plc, const std::string& group,
                                         const std::vector<TagInfo>& tags) {
  if (auto r = ensure_spool(); !r) return r;
  if (!plc.empty()) links_.emplace(plc, LinkState::connecting);
  return delivery_.open_group(plc, group, tags);
}

s7::Result<void> NetworkSink::write(const Sample& sample) {
  return write_shared(std::make_shared<const Sample>(sample));
}

s7::Result<void> NetworkSink::write_shared(const std::shared_ptr<const Sample>& sample,
                                           std::function<void()> done) {
  batch_.push_back(sample);
  if (done) done_.push_back(std::move(done));
  if (batch_.size() >= options_.batch_rows) pump(false);
  return {};
}

s7::Result<void> NetworkSink::flush() {
  pump(false);
  return {};
}

void NetworkSink::idle() {
  pump(false);
}

void NetworkSink::close() {
  pump(true);
  delivery_.disconnect();
  stats_.connected = false;
}

std::size_t NetworkSink::pending() const {
  return batch_.size();
}

void NetworkSink::lost(std::uint64_t n, const std::string& why) {
  if (n == 0) return;
  stats_.dropped += n;
  if (total_ != nullptr) total_->dropped_rows += n;
  if (notify_) notify_(fmt::format("{}: {} samples lost: {}", options_.name, n, why));
}

void NetworkSink::publish_spool_stats() {
  if (!spool_) return;
  stats_.spool_records = spool_->records();
  stats_.spool_bytes = spool_->bytes();
  stats_.oldest_spooled_ms = spool_->oldest_ts_ms().value_or(0);
}

bool NetworkSink::ensure_connected() {
  if (delivery_.connected()) return true;
  const auto now = clock_->now();
  if (now < next_attempt_) return false;
  if (auto r = delivery_.connect(); !r) {
    ++stats_.failures;
    next_attempt_ = now + backoff_.next();
    if (!down_told_ && notify_)
      notify_(fmt::format("{}: {}; samples go to the spool {} until it is back", options_.name,
                          r.error().what(), options_.spool_dir));
    down_told_ = true;
    return false;
  }
  backoff_.reset();
  stats_.connected = true;
  if (down_told_ && notify_)
    notify_(fmt::format("{}: connected to {} again", options_.name, server_));
  down_told_ = false;
  return true;
}

void NetworkSink::spool_batch() {
  if (batch_.empty() || !spool_) return;
  const auto dropped_before = spool_->dropped();
  // One write for the batch: encode every sample into one buffer, then point into it.
  scratch_.clear();
  std::vector<std::size_t> ends;
  ends.reserve(batch_.size());
  for (const auto& s : batch_) {
    encode_sample(*s, scratch_);
    ends.push_back(scratch_.size());
  }
  std::vector<Spool::Input> inputs;
  inputs.reserve(batch_.size());
  std::size_t begin = 0;
  for (std::size_t i = 0; i < batch_.size(); ++i) {
    inputs.push_back({unix_ms(batch_[i]->ts),
                      std::span<const std::uint8_t>(scratch_.data() + begin, ends[i] - begin)});
    begin = ends[i];
  }
  if (auto r = spool_->append_batch(inputs); !r) {
    // A full disk or a folder gone: the batch stays in memory and is tried again next tick.
    if (!spool_error_told_ && notify_)
      notify_(fmt::format("{}: cannot write to the spool: {}; {} samples wait in memory",
                          options_.name, r.error().what(), batch_.size()));
    spool_error_told_ = true;
    constexpr std::size_t kMemoryBound = 100'000;
    if (batch_.size() > kMemoryBound) {
      const auto n = batch_.size() - kMemoryBound;
      batch_.erase(batch_.begin(), batch_.begin() + static_cast<std::ptrdiff_t>(n));
      lost(n, "neither the server nor the spool could take them");
    }
    publish_spool_stats();
    return;
  }
  if (spool_error_told_ && notify_)
    notify_(fmt::format("{}: the spool takes samples again", options_.name));
  spool_error_told_ = false;
  stats_.spooled += batch_.size();
  batch_.clear();
  lost(spool_->dropped() - dropped_before,
       fmt::format("the spool {} is full (spool_max {} bytes); the oldest went", options_.spool_dir,
                   options_.spool_max));
  publish_spool_stats();
}

// One step of replay: true when the spool is empty afterwards.
bool NetworkSink::replay() {
  for (int i = 0; i < kReplayBatchesPerTick; ++i) {
    if (spool_->records() == 0) return true;
    auto recs = spool_->peek(options_.batch_rows, kReplayBytes);
    if (!recs) {
      if (notify_)
        notify_(fmt::format("{}: cannot read the spool: {}", options_.name, recs.error().what()));
      return false;
    }
    std::vector<Sample> samples;
    samples.reserve(recs->size());
    std::uint64_t corrupt = 0;
    for (const auto& rec : *recs) {
      auto s = decode_sample(rec.payload);
      if (s)
        samples.push_back(std::move(*s));
      else
        ++corrupt;
    }
    std::vector<const Sample*> ptrs;
    ptrs.reserve(samples.size());
    for (const auto& s : samples) ptrs.push_back(&s);
    if (!ptrs.empty()) {
      if (auto r = delivery_.deliver(ptrs, true); !r) {
        // What the server acknowledged before it broke leaves the spool now.
        const auto acked = std::min(delivery_.acknowledged(), ptrs.size());
        if (acked > 0 && corrupt == 0 && spool_->pop(acked)) {
          stats_.delivered += acked;
          publish_spool_stats();
        }
        ++stats_.failures;
        stats_.connected = false;
        next_attempt_ = clock_->now() + backoff_.next();
        if (!down_told_ && notify_)
          notify_(
              fmt::format("{}: {}; the spool keeps the samples", options_.name, r.error().what()));
        down_told_ = true;
        return false;
      }
    }
    if (auto r = spool_->pop(recs->size()); !r) {
      if (notify_) notify_(fmt::format("{}: spool: {}", options_.name, r.error().what()));
      return false;
    }
    stats_.delivered += ptrs.size();
    lost(corrupt, "spool records that do not decode");
    publish_spool_stats();
  }
  return spool_->records() == 0;
}

void NetworkSink::check_links() {
  if (!link_of_) return;
  for (auto& [plc, state] : links_) {
    const auto now = link_of_(plc);
    if (now != state) {
      state = now;
      delivery_.link(plc, now);
    }
  }
}

void NetworkSink::pump(bool closing) {
  if (!spool_) {
    // Not opened (open failed): nothing can take the samples.
    lost(batch_.size(), "the output is not open");
    batch_.clear();
    return;
  }
  if (ensure_connected()) {
    check_links();
    delivery_.poll();
  }
  bool spool_empty = spool_->records() == 0;
  if (!spool_empty && delivery_.connected()) spool_empty = replay();
  if (!batch_.empty()) {
    if (spool_empty && delivery_.connected()) {
      std::vector<const Sample*> ptrs;
      ptrs.reserve(batch_.size());
      for (const auto& s : batch_) ptrs.push_back(s.get());
      if (auto r = delivery_.deliver(ptrs, false); r) {
        stats_.delivered += batch_.size();
        batch_.clear();
      } else {
        const auto acked = std::min(delivery_.acknowledged(), batch_.size());
        stats_.delivered += acked;
        batch_.erase(batch_.begin(), batch_.begin() + static_cast<std::ptrdiff_t>(acked));
        ++stats_.failures;
        stats_.connected = false;
        next_attempt_ = clock_->now() + backoff_.next();
        if (!down_told_ && notify_)
          notify_(fmt::format("{}: {}; samples go to the spool {} until it is back", options_.name,
                              r.error().what(), options_.spool_dir));
        down_told_ = true;
        spool_batch();
      }
    } else {
      spool_batch();
    }
  }
  if (closing && !batch_.empty()) lost(batch_.size(), "the spool could not take them at exit");
  if (closing) batch_.clear();
  // A write_then() row is "in its destination" once the server or the spool has it.
  if (batch_.empty()) {
    auto done = std::move(done_);
    done_.clear();
    for (auto& d : done) d();
  }
  stats_.connected = delivery_.connected();
}

}  // namespace logger
