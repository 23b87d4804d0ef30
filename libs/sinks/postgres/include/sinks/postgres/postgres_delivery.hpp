// The PostgreSQL output: one wide table per group, rows batched by COPY, replays made idempotent.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "logger/delivery.hpp"
#include "sinks/postgres/copy_text.hpp"

struct pg_conn;

namespace sinks::postgres {

struct PostgresOptions {
  // A URI (postgresql://user@host:5432/db?sslmode=require) or libpq keywords
  // ("host=... dbname=..."); empty: libpq's defaults (PGHOST, PGUSER, ... and the local socket).
  // The password comes from the URL, PGPASSWORD or ~/.pgpass (libpq's rules).
  std::string url;
  std::string schema = "public";            // created when missing
  std::string table = "{group}";            // {group} and {plc} are replaced (table_for())
  std::chrono::seconds connect_timeout{5};  // the URL's connect_timeout wins
};

// The server a conninfo names, for messages: "PostgreSQL user@host:port/db", with libpq's
// defaults (environment, local socket, port 5432, dbname = user) for what the URL leaves out.
// Never the password.
std::string describe_conninfo(const std::string& url);

// Ok when libpq can parse `url`; else an error (invalid_argument) with libpq's reason, the
// password taken out.
s7::Result<void> check_conninfo(const std::string& url);

// logger::Delivery for PostgreSQL (contract in logger/delivery.hpp), and:
// - open_group() checks the tags (check_tags(), table_for(); tags of two groups that share a
//   table must agree on their types) and remembers them; no I/O.
// - connect() connects (PQconnectdbParams; application_name s7log, connect_timeout, TCP
//   keepalives; the URL's own settings win), then for every table, in one transaction each:
//   creates the schema and the table if missing (create_table_sql; a hypertable when the
//   timescaledb extension is installed), or checks an existing table: it must have ts, plc,
//   quality and errors and a unique key on (ts, plc); a tag column of another type is an error
//   naming the table, the column, both types and what to do; missing tag columns are added
//   (ALTER TABLE ... ADD COLUMN IF NOT EXISTS). Then a TEMP staging table per target.
// - deliver(): one transaction: per target table, COPY the rows into its staging table, then
//   INSERT ... SELECT ... ON CONFLICT DO NOTHING, then COMMIT. A row whose (ts, plc) is already
//   there is skipped, so a replay never adds a second row. Missed samples become rows with NULL
//   values, quality comm_error. Tags opened after connect() get their columns first. A sample
//   of a group that was not opened (spooled by an earlier run whose config had that group) is
//   passed over: its columns are unknown, and it must not hold the spool up for good.
// - Every failure rolls back, disconnects, and returns an error that names the server (user,
//   host, port, database; never the password), what failed, libpq's message and what to check.
class PostgresDelivery : public logger::Delivery {
 public:
  explicit PostgresDelivery(PostgresOptions options);
  ~PostgresDelivery() override;
  PostgresDelivery(const PostgresDelivery&) = delete;
  PostgresDelivery& operator=(const PostgresDelivery&) = delete;

  std::string describe() const override;
  s7::Result<void> open_group(const std::string& plc, const std::string& group,
                              const std::vector<logger::TagInfo>& tags) override;
  bool connected() const override;
  s7::Result<void> connect() override;
  void disconnect() override;
  s7::Result<void> deliver(std::span<const logger::Sample* const> batch, bool historical) override;

  // The qualified table ("schema"."table") a group's rows go to; empty when not opened.
  std::string table_of(const std::string& plc, const std::string& group) const;
  // True when the server has the timescaledb extension (known after connect()).
  bool hypertables() const { return timescale_; }

 private:
  struct Table {
    std::string name;             // unquoted
    std::string qualified;        // "schema"."name"
    std::string stage;            // pg_temp."s7log_stage_<n>"
    std::vector<Column> columns;  // union of the columns of its groups
    bool prepared = false;        // created/altered and staged on this connection
  };
  struct Group {
    std::size_t table = 0;
    std::vector<Column> columns;  // one per tag, in tag order
    std::string copy;             // copy_sql(stage, columns)
  };
  struct ConnDeleter {
    void operator()(pg_conn* c) const;
  };

  s7::Result<void> prepare(Table& t);
  s7::Result<void> exec(const std::string& sql, const std::string& what);
  s7::Result<void> copy_rows(const std::string& sql, const std::string& rows,
                             const std::string& what);
  void drop();  // rolls back an open transaction, disconnects
  s7::Error fail(const std::string& what, const std::string& detail, const char* sqlstate);
  std::string redact(std::string text) const;

  PostgresOptions options_;
  std::string describe_;              // from the conninfo; from the connection once connected
  std::vector<std::string> secrets_;  // passwords to keep out of every message
  std::unique_ptr<pg_conn, ConnDeleter> conn_;
  std::vector<Table> tables_;
  std::map<std::pair<std::string, std::string>, Group> groups_;
  bool timescale_ = false;
  std::string rows_;  // COPY text buffer, reused
};

}  // namespace sinks::postgres
