// Throughput of the network outputs' deliveries on their own (no agent, no queue, no spool):
// PostgresDelivery (COPY into the staging table + INSERT ... ON CONFLICT DO NOTHING, one
// transaction per batch) and MqttDelivery (JSON, one message per sample). bench/outputs.py runs
// it against private servers and times the tools' own bound on the same data.
//
// Usage:
//   s7log_sink_throughput --postgres URL [--table T] [--bound-table B] --tags T --rows N
//                         --batch B [--file F] [--ddl F]
//   s7log_sink_throughput --mqtt URL [--qos Q] [--topic P] --tags T --rows N --batch B [--file F]
//
// N samples of one group of T tags (REAL, DINT and BOOL in turn), delivered B at a time; only
// the deliver() calls are timed (the samples are built beforehand, see run()). --file writes the
// same rows as the bound reads them, before connecting: PostgreSQL COPY text (append_copy_row,
// the text the delivery sends) or the JSON payloads one per line (json_payload, what the delivery
// publishes), for `psql -c "\copy ..."` and `mosquitto_pub -l`. --ddl writes CREATE TABLE for
// --bound-table with the same columns (create_table_sql). Prints one JSON object on stdout.
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "sinks/mqtt/json_payload.hpp"
#include "sinks/mqtt/mqtt_delivery.hpp"
#include "sinks/postgres/copy_text.hpp"
#include "sinks/postgres/postgres_delivery.hpp"

namespace {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC

struct Args {
  std::string postgres, mqtt;
  std::string table = "bench", bound_table = "bench_bound";
  std::string topic = "bench/{plc}/{group}";
  int qos = 1;
  std::size_t tags = 100, rows = 10000, batch = 1000;
  std::string file, ddl;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "s7log_sink_throughput: %s\nusage: s7log_sink_throughput (--postgres URL | --mqtt "
               "URL) --tags T --rows N --batch B [--table T --bound-table B --ddl F] [--qos Q "
               "--topic P] [--file F]\n",
               why);
  std::exit(2);
}

std::size_t count(const char* text) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v == 0) usage("expected a positive number");
  return static_cast<std::size_t>(v);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + k).c_str());
    const char* v = argv[++i];
    if (k == "--postgres")
      a.postgres = v;
    else if (k == "--mqtt")
      a.mqtt = v;
    else if (k == "--table")
      a.table = v;
    else if (k == "--bound-table")
      a.bound_table = v;
    else if (k == "--topic")
      a.topic = v;
    else if (k == "--qos")
      a.qos = std::atoi(v);
    else if (k == "--tags")
      a.tags = count(v);
    else if (k == "--rows")
      a.rows = count(v);
    else if (k == "--batch")
      a.batch = count(v);
    else if (k == "--file")
      a.file = v;
    else if (k == "--ddl")
      a.ddl = v;
    else
      usage(("unknown option " + k).c_str());
  }
  if (a.postgres.empty() == a.mqtt.empty()) usage("give one of --postgres and --mqtt");
  return a;
}

// REAL, DINT, BOOL in turn, 4 bytes apart in DB1 (the addresses are only for the types).
std::vector<logger::TagInfo> make_tags(std::size_t n) {
  std::vector<logger::TagInfo> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t off = 4 * i;
    std::string addr;
    switch (i % 3) {
      case 0:
        addr = fmt::format("DB1.DBD{}:REAL", off);
        break;
      case 1:
        addr = fmt::format("DB1.DBD{}:DINT", off);
        break;
      default:
        addr = fmt::format("DB1.DBX{}.{}", off, i % 8);
        break;
    }
    auto a = s7::parse_address(addr);
    if (!a) usage(("bad address " + addr).c_str());
    out.push_back(logger::TagInfo{fmt::format("db1_t{}", i), *a});
  }
  return out;
}

// Row `r` of the data: 100 ms apart (unique (ts, plc)), values that change from row to row.
const auto kT0 = std::chrono::sys_days{std::chrono::year{2026} / 12 / 8};

logger::Sample make_sample(std::size_t r, std::size_t n_tags) {
  logger::Sample s;
  s.ts = kT0 + std::chrono::milliseconds(100 * static_cast<std::int64_t>(r));
  s.plc = "plc1";
  s.group = "g";
  s.values.reserve(n_tags);
  for (std::size_t i = 0; i < n_tags; ++i) {
    const auto k = static_cast<std::int64_t>(r * 7 + i * 13);
    switch (i % 3) {
      case 0:
        s.values.push_back({s7::Value(s7::Scalar(static_cast<float>(k % 10007) * 0.125f + 0.3f))});
        break;
      case 1:
        s.values.push_back({s7::Value(s7::Scalar(k * 1009 - 500000))});
        break;
      default:
        s.values.push_back({s7::Value(s7::Scalar((k & 1) == 1))});
        break;
    }
  }
  return s;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CLOCK_MONOTONIC seconds (steady_clock on Linux), as Python's time.monotonic().
double mono(Clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Timing {
  double deliver_s = 0;      // wall time inside deliver()
  double deliver_cpu_s = 0;  // this process's CPU time inside deliver()
  double format_s = 0;       // building the bound's file text (the same formatting, untimed above)
  double connect_s = 0;
  std::size_t file_bytes = 0;
  Clock::time_point start, end;  // connect() began; the last deliver() returned
};

// Writes the bound's file, then connects and delivers all rows batch by batch. The samples come
// from a pool of a few batches built beforehand (values repeat every kPool batches; each row gets
// its own time), so the timed part is the delivery only; `text` appends a row to the file.
constexpr std::size_t kPool = 4;

template <typename Text>
int run(logger::Delivery& d, const Args& a, const std::vector<logger::TagInfo>& tags, Text text,
        Timing& t) {
  const std::size_t batches = (a.rows + a.batch - 1) / a.batch;
  std::vector<std::vector<logger::Sample>> pool(std::min(batches, kPool));
  for (std::size_t j = 0; j < pool.size(); ++j)
    for (std::size_t i = 0; i < a.batch; ++i)
      pool[j].push_back(make_sample(j * a.batch + i, tags.size()));
  // The rows of batch j: the first n of pool[j % kPool], timed 100 ms apart from row j * batch.
  auto batch = [&](std::size_t j, std::vector<const logger::Sample*>& ptrs) {
    const std::size_t n = std::min(a.batch, a.rows - j * a.batch);
    auto& b = pool[j % pool.size()];
    ptrs.clear();
    for (std::size_t i = 0; i < n; ++i) {
      b[i].ts = kT0 + std::chrono::milliseconds(100 * static_cast<std::int64_t>(j * a.batch + i));
      ptrs.push_back(&b[i]);
    }
  };
  std::vector<const logger::Sample*> ptrs;
  if (!a.file.empty()) {
    std::ofstream file(a.file, std::ios::binary);
    std::string out;
    for (std::size_t j = 0; j < batches; ++j) {
      batch(j, ptrs);
      out.clear();
      const auto f0 = Clock::now();
      for (const auto* s : ptrs) text(out, *s);
      t.format_s += seconds_since(f0);
      file.write(out.data(), static_cast<std::streamsize>(out.size()));
      t.file_bytes += out.size();
    }
  }
  if (auto r = d.open_group("plc1", "g", tags); !r) {
    std::fprintf(stderr, "open_group: %s\n", r.error().what().c_str());
    return 1;
  }
  t.start = Clock::now();
  if (auto r = d.connect(); !r) {
    std::fprintf(stderr, "connect: %s\n", r.error().what().c_str());
    return 1;
  }
  t.connect_s = seconds_since(t.start);
  for (std::size_t j = 0; j < batches; ++j) {
    batch(j, ptrs);
    const double cpu0 = cpu_seconds();
    const auto w0 = Clock::now();
    if (auto r = d.deliver(ptrs, false); !r) {
      std::fprintf(stderr, "deliver: %s\n", r.error().what().c_str());
      return 1;
    }
    t.deliver_s += seconds_since(w0);
    t.deliver_cpu_s += cpu_seconds() - cpu0;
  }
  t.end = Clock::now();
  d.disconnect();
  return 0;
}

void print(const Args& a, const std::string& output, const std::string& extra, const Timing& t) {
  const double points = static_cast<double>(a.rows) * static_cast<double>(a.tags);
  fmt::print(
      "{{\"output\":\"{}\",{}\"tags\":{},\"rows\":{},\"batch\":{},\"points\":{:.0f},"
      "\"connect_s\":{:.4f},\"deliver_s\":{:.4f},\"deliver_cpu_s\":{:.4f},"
      "\"rows_per_s\":{:.1f},\"points_per_s\":{:.0f},\"client_cpu_share_of_one_core\":{:.3f},"
      "\"format_only_s\":{:.4f},\"file_bytes\":{},\"t_start_mono\":{:.6f},"
      "\"t_end_mono\":{:.6f}}}\n",
      output, extra, a.tags, a.rows, a.batch, points, t.connect_s, t.deliver_s, t.deliver_cpu_s,
      static_cast<double>(a.rows) / t.deliver_s, points / t.deliver_s,
      t.deliver_cpu_s / t.deliver_s, t.format_s, t.file_bytes, mono(t.start), mono(t.end));
}

int postgres(const Args& a) {
  const auto tags = make_tags(a.tags);
  std::vector<sinks::postgres::Column> columns;
  for (const auto& tg : tags) columns.push_back(sinks::postgres::column_for(tg));
  if (!a.ddl.empty()) {
    std::ofstream ddl(a.ddl);
    ddl << sinks::postgres::create_table_sql(
               sinks::postgres::qualified_name("public", a.bound_table), columns)
        << ";\n";
  }
  sinks::postgres::PostgresOptions o;
  o.url = a.postgres;
  o.table = a.table;
  sinks::postgres::PostgresDelivery d(o);
  Timing t;
  const int rc = run(
      d, a, tags,
      [&](std::string& out, const logger::Sample& s) {
        sinks::postgres::append_copy_row(out, s, columns);
      },
      t);
  if (rc == 0) print(a, "postgres", fmt::format("\"table\":\"{}\",", a.table), t);
  return rc;
}

int mqtt(const Args& a) {
  const auto tags = make_tags(a.tags);
  sinks::mqtt::MqttOptions o;
  o.url = a.mqtt;
  o.format = "json";
  o.topic = a.topic;
  o.qos = a.qos;
  o.client_id = fmt::format("s7log-bench-{}", static_cast<long>(::getpid()));
  sinks::mqtt::MqttDelivery d(o);
  Timing t;
  const int rc = run(
      d, a, tags,
      [&](std::string& out, const logger::Sample& s) {
        out += sinks::mqtt::json_payload(s, tags, false);
        out += '\n';
      },
      t);
  if (rc == 0)
    print(a, "mqtt",
          fmt::format("\"format\":\"json\",\"qos\":{},\"topic\":\"{}\",", a.qos,
                      sinks::mqtt::expand_topic(a.topic, "plc1", "g")),
          t);
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  return a.postgres.empty() ? mqtt(a) : postgres(a);
}
