// PostgreSQL output over libpq: connect with clear errors, create/alter tables, COPY + upsert.
#include "sinks/postgres/postgres_delivery.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <set>

namespace sinks::postgres {

namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

struct OptionsDeleter {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};
using OptionsPtr = std::unique_ptr<PQconninfoOption, OptionsDeleter>;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// libpq's multi-line messages as one line: whitespace runs become one space, no trailing dot.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string option(const PQconninfoOption* opts, std::string_view key) {
  for (const PQconninfoOption* o = opts; o && o->keyword; ++o)
    if (key == o->keyword && o->val) return o->val;
  return {};
}

std::string server_text(std::string user, std::string host, std::string port, std::string db) {
  if (host.empty()) host = "local socket";
  if (port.empty()) port = "5432";
  if (db.empty()) db = user;
  return fmt::format("PostgreSQL {}{}{}:{}/{}", user, user.empty() ? "" : "@", host, port, db);
}

// The password written in a URI's user info (still percent-encoded), if any.
std::string uri_password(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  const auto start = scheme + 3;
  const auto end = url.find_first_of("/?", start);
  const std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
  const auto at = authority.rfind('@');
  if (at == std::string::npos) return {};
  const auto colon = authority.find(':');
  if (colon == std::string::npos || colon > at) return {};
  return authority.substr(colon + 1, at - colon - 1);
}

std::vector<std::string> secrets_of(const std::string& url) {
  std::vector<std::string> out;
  char* err = nullptr;
  OptionsPtr opts(PQconninfoParse(url.c_str(), &err));
  if (err) PQfreemem(err);
  if (opts) out.push_back(option(opts.get(), "password"));
  out.push_back(uri_password(url));
  if (const char* env = std::getenv("PGPASSWORD")) out.emplace_back(env);
  out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
  // Longest first, so a password that contains another is taken out whole.
  std::sort(out.begin(), out.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return out;
}

std::string redact_with(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    for (auto pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + 3))
      text.replace(pos, s.size(), "***");
  }
  return text;
}

void ignore_notice(void*, const char*) {}

// What to check for a failed connection, from libpq's message.
std::pair<s7::Errc, std::string> connect_hint(const std::string& message, const std::string& host,
                                              const std::string& port, const std::string& db,
                                              std::chrono::seconds timeout) {
  const std::string m = lower(message);
  const std::string where =
      fmt::format("{}:{}", host.empty() ? "the local socket" : host, port.empty() ? "5432" : port);
  if (contains(m, "password authentication failed") || contains(m, "no password supplied") ||
      contains(m, "authentication failed") || contains(m, "password is required"))
    return {s7::Errc::connection_refused,
            "check the user and the password (PGPASSWORD, ~/.pgpass or the URL)"};
  if (contains(m, "role \"") && contains(m, "does not exist"))
    return {s7::Errc::connection_refused,
            "check the user name in the URL (createuser NAME creates it)"};
  if (contains(m, "database \"") && contains(m, "does not exist"))
    return {s7::Errc::connection_refused,
            fmt::format("create it (createdb {}) or fix the URL", db.empty() ? "NAME" : db)};
  if (contains(m, "could not translate host name") || contains(m, "name or service not known") ||
      contains(m, "nodename nor servname") || contains(m, "temporary failure in name resolution"))
    return {s7::Errc::host_not_found, "check the host name"};
  if (contains(m, "connection refused") || contains(m, "no such file or directory"))
    return {s7::Errc::connection_refused,
            fmt::format("is PostgreSQL running and listening on {}?", where)};
  if (contains(m, "timeout expired") || contains(m, "timed out"))
    return {s7::Errc::connect_timeout,
            fmt::format("no answer within {} s: is {} reachable (firewall) and the port right?",
                        timeout.count(), where)};
  if (contains(m, "no pg_hba.conf entry"))
    return {s7::Errc::connection_refused,
            "the server does not accept this user from this host: add a line to its pg_hba.conf"};
  if (contains(m, "ssl"))
    return {s7::Errc::network_error, "check sslmode in the URL and the server's SSL set-up"};
  if (contains(m, "too many clients") || contains(m, "remaining connection slots"))
    return {s7::Errc::connection_refused,
            "the server has no free connection slot: raise max_connections or close others"};
  return {s7::Errc::network_error, "check the URL ([output.postgres] url) and the server"};
}

// What to check for a failed statement, from its SQLSTATE.
std::string sqlstate_hint(std::string_view state, bool connection_lost, const std::string& where) {
  if (connection_lost)
    return fmt::format("the connection was lost: is PostgreSQL running on {}?", where);
  if (state == "42501")
    return "the user lacks a privilege: grant it CREATE on the schema and SELECT, INSERT on the "
           "table, or use another user";
  if (state == "54000" || state == "54011")
    return "the rows are too wide for one table: split the group into smaller ones";
  if (state == "53100") return "the server's disk is full";
  if (state == "25006") return "the server is read-only (a standby?): point the URL at the primary";
  if (state == "3F000") return "create the schema or fix [output.postgres] schema";
  if (state == "42703" || state == "42804" || state == "42P01")
    return "the table was changed by someone else: check its columns against the tags";
  return {};
}

}  // namespace

std::string describe_conninfo(const std::string& url) {
  char* err = nullptr;
  OptionsPtr opts(PQconninfoParse(url.c_str(), &err));
  if (err) PQfreemem(err);
  if (!opts) return "PostgreSQL (URL not valid)";
  OptionsPtr defaults(PQconndefaults());
  auto pick = [&](std::string_view key) {
    std::string v = option(opts.get(), key);
    return v.empty() ? option(defaults.get(), key) : v;
  };
  std::string host = pick("host");
  if (host.empty()) host = pick("hostaddr");
  return server_text(pick("user"), host, pick("port"), pick("dbname"));
}

s7::Result<void> check_conninfo(const std::string& url) {
  char* err = nullptr;
  OptionsPtr opts(PQconninfoParse(url.c_str(), &err));
  std::string why = err ? one_line(err) : std::string("not valid");
  if (err) PQfreemem(err);
  if (opts) return {};
  return s7::Error(s7::Errc::invalid_argument,
                   "the PostgreSQL URL is not valid: " + redact_with(why, secrets_of(url)));
}

void PostgresDelivery::ConnDeleter::operator()(pg_conn* c) const {
  PQfinish(c);
}

PostgresDelivery::PostgresDelivery(PostgresOptions options)
    : options_(std::move(options)),
      describe_(describe_conninfo(options_.url)),
      secrets_(secrets_of(options_.url)) {}

PostgresDelivery::~PostgresDelivery() = default;

std::string PostgresDelivery::describe() const {
  return describe_;
}

bool PostgresDelivery::connected() const {
  return conn_ != nullptr;
}

std::string PostgresDelivery::redact(std::string text) const {
  return redact_with(std::move(text), secrets_);
}

std::string PostgresDelivery::table_of(const std::string& plc, const std::string& group) const {
  auto it = groups_.find({plc, group});
  return it == groups_.end() ? std::string() : tables_[it->second.table].qualified;
}

s7::Result<void> PostgresDelivery::open_group(const std::string& plc, const std::string& group,
                                              const std::vector<logger::TagInfo>& tags) {
  if (auto r = check_tags(group, tags); !r) return r;
  auto name = table_for(options_.table, plc, group);
  if (!name) return name.error();
  std::vector<Column> columns;
  columns.reserve(tags.size());
  for (const auto& t : tags) columns.push_back(column_for(t));

  const std::string qualified = qualified_name(options_.schema, *name);
  std::size_t index = 0;
  while (index < tables_.size() && tables_[index].qualified != qualified) ++index;
  if (index < tables_.size()) {
    // Another group of the same PLC in this table would collide on (ts, plc).
    for (const auto& [key, g] : groups_) {
      if (g.table == index && key.first == plc && key.second != group)
        return s7::Error(s7::Errc::invalid_argument,
                         fmt::format("groups '{}' and '{}' of PLC '{}' would share the "
                                     "PostgreSQL table {}, where rows of the same time collide: "
                                     "put {{group}} in [output.postgres] table",
                                     key.second, group, plc, qualified));
    }
    for (const auto& c : columns) {
      auto& have = tables_[index].columns;
      auto it =
          std::find_if(have.begin(), have.end(), [&](const Column& h) { return h.name == c.name; });
      if (it != have.end() && type_name(*it) != type_name(c))
        return s7::Error(s7::Errc::type_mismatch,
                         fmt::format("tag '{}' of group '{}' needs {} in table {}, where another "
                                     "group's tag of that name needs {}: rename one of them",
                                     c.name, group, type_name(c), qualified, type_name(*it)));
    }
  } else {
    Table t;
    t.name = *name;
    t.qualified = qualified;
    t.stage = stage_name(tables_.size());
    tables_.push_back(std::move(t));
  }
  Table& table = tables_[index];
  for (const auto& c : columns) {
    if (std::none_of(table.columns.begin(), table.columns.end(),
                     [&](const Column& h) { return h.name == c.name; })) {
      table.columns.push_back(c);
      table.prepared = false;
    }
  }
  if (table.columns.size() > kMaxTags)
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("the PostgreSQL table {} would need {} tag columns, more than "
                                 "{}: put {{group}} in [output.postgres] table",
                                 qualified, table.columns.size(), kMaxTags));
  Group& g = groups_[{plc, group}];
  g.table = index;
  g.copy = copy_sql(table.stage, columns);
  g.columns = std::move(columns);
  return {};
}

s7::Error PostgresDelivery::fail(const std::string& what, const std::string& detail,
                                 const char* sqlstate) {
  bool lost = true;
  std::string where;
  if (conn_) {
    lost = PQstatus(conn_.get()) != CONNECTION_OK;
    where = fmt::format("{}:{}", PQhost(conn_.get()), PQport(conn_.get()));
  }
  drop();
  const std::string hint = sqlstate_hint(sqlstate ? sqlstate : "", lost, where);
  return s7::Error(lost ? s7::Errc::connection_closed : s7::Errc::network_error,
                   redact(fmt::format("{}: {} failed: {}{}{}", describe_, what, one_line(detail),
                                      hint.empty() ? "" : "; ", hint)));
}

namespace {

// The primary message and detail of a failed result, or the connection's message.
std::string result_text(PGconn* conn, const PGresult* r) {
  if (r) {
    const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    const char* detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
    const char* hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
    if (primary) {
      std::string out = primary;
      if (detail) out += fmt::format(" ({})", detail);
      if (hint) out += fmt::format(" (server's hint: {})", hint);
      return out;
    }
    if (*PQresultErrorMessage(r)) return PQresultErrorMessage(r);
  }
  return PQerrorMessage(conn);
}

const char* result_state(const PGresult* r) {
  return r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
}

}  // namespace

s7::Result<void> PostgresDelivery::exec(const std::string& sql, const std::string& what) {
  ResultPtr r(PQexec(conn_.get(), sql.c_str()));
  const auto st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return {};
  return fail(what, result_text(conn_.get(), r.get()), result_state(r.get()));
}

s7::Result<void> PostgresDelivery::copy_rows(const std::string& sql, const std::string& rows,
                                             const std::string& what) {
  PGconn* c = conn_.get();
  {
    ResultPtr r(PQexec(c, sql.c_str()));
    if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN)
      return fail(what, result_text(c, r.get()), result_state(r.get()));
  }
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t at = 0; at < rows.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, rows.size() - at);
    if (PQputCopyData(c, rows.data() + at, static_cast<int>(n)) != 1)
      return fail(what, PQerrorMessage(c), nullptr);
  }
  if (PQputCopyEnd(c, nullptr) != 1) return fail(what, PQerrorMessage(c), nullptr);
  ResultPtr r(PQgetResult(c));
  const bool ok = r && PQresultStatus(r.get()) == PGRES_COMMAND_OK;
  std::string text = ok ? std::string() : result_text(c, r.get());
  std::string state = result_state(r.get()) ? result_state(r.get()) : "";
  while (ResultPtr more{PQgetResult(c)}) {
  }
  if (!ok) return fail(what, text, state.empty() ? nullptr : state.c_str());
  return {};
}

s7::Result<void> PostgresDelivery::connect() {
  disconnect();
  const std::string timeout = std::to_string(options_.connect_timeout.count());
  // Ours first, then the URL (later values win), then the encoding our text is in.
  std::vector<const char*> keys = {"application_name", "connect_timeout",     "keepalives",
                                   "keepalives_idle",  "keepalives_interval", "keepalives_count"};
  std::vector<const char*> vals = {"s7log", timeout.c_str(), "1", "30", "10", "3"};
  if (!options_.url.empty()) {
    keys.push_back("dbname");
    vals.push_back(options_.url.c_str());
  }
  keys.push_back("client_encoding");
  vals.push_back("UTF8");
  keys.push_back(nullptr);
  vals.push_back(nullptr);
  std::unique_ptr<pg_conn, ConnDeleter> c(PQconnectdbParams(keys.data(), vals.data(), 1));
  if (!c) return s7::Error(s7::Errc::network_error, describe_ + ": out of memory in libpq");
  auto text = [](const char* s) { return std::string(s ? s : ""); };
  const std::string host = text(PQhost(c.get())), port = text(PQport(c.get()));
  const std::string db = text(PQdb(c.get())), user = text(PQuser(c.get()));
  if (!host.empty() || !user.empty()) describe_ = server_text(user, host, port, db);
  if (PQstatus(c.get()) != CONNECTION_OK) {
    const std::string message = one_line(PQerrorMessage(c.get()));
    auto [code, hint] = connect_hint(message, host, port, db, options_.connect_timeout);
    return s7::Error(code,
                     redact(fmt::format("{}: cannot connect: {}; {}", describe_, message, hint)));
  }
  PQsetNoticeProcessor(c.get(), ignore_notice, nullptr);
  if (PQserverVersion(c.get()) < 90600)
    return s7::Error(s7::Errc::unexpected_response,
                     fmt::format("{}: the server runs PostgreSQL {}, s7log needs 9.6 or newer "
                                 "(ON CONFLICT, ADD COLUMN IF NOT EXISTS)",
                                 describe_, PQparameterStatus(c.get(), "server_version")));
  conn_ = std::move(c);
  {
    ResultPtr r(PQexec(conn_.get(), "SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'"));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK)
      return fail("looking for TimescaleDB", result_text(conn_.get(), r.get()),
                  result_state(r.get()));
    timescale_ = PQntuples(r.get()) > 0;
  }
  for (auto& t : tables_) t.prepared = false;
  for (auto& t : tables_)
    if (auto r = prepare(t); !r) return r;
  return {};
}

void PostgresDelivery::drop() {
  if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK &&
      PQtransactionStatus(conn_.get()) != PQTRANS_IDLE) {
    ResultPtr r(PQexec(conn_.get(), "ROLLBACK"));
  }
  disconnect();
}

void PostgresDelivery::disconnect() {
  conn_.reset();
  for (auto& t : tables_) t.prepared = false;
}

s7::Result<void> PostgresDelivery::prepare(Table& t) {
  PGconn* c = conn_.get();
  auto query = [&](const char* sql, const std::string& param) {
    const char* params[] = {param.c_str()};
    return ResultPtr(PQexecParams(c, sql, 1, nullptr, params, nullptr, nullptr, 0));
  };
  const std::string what = "preparing table " + t.qualified;
  if (auto r = exec("BEGIN", what); !r) return r;
  {
    ResultPtr r = query("SELECT to_regnamespace($1) IS NULL", quote_ident(options_.schema));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK)
      return fail(what, result_text(c, r.get()), result_state(r.get()));
    if (PQgetvalue(r.get(), 0, 0)[0] == 't') {
      if (auto e = exec("CREATE SCHEMA IF NOT EXISTS " + quote_ident(options_.schema),
                        "creating schema " + quote_ident(options_.schema));
          !e)
        return e;
    }
  }
  ResultPtr cols = query(
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
      "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped "
      "ORDER BY a.attnum",
      t.qualified);
  if (!cols || PQresultStatus(cols.get()) != PGRES_TUPLES_OK)
    return fail(what, result_text(c, cols.get()), result_state(cols.get()));
  const int n = PQntuples(cols.get());
  if (n == 0) {
    if (auto r = exec(create_table_sql(t.qualified, t.columns), "creating table " + t.qualified);
        !r)
      return r;
  } else {
    std::map<std::string, std::string> have;
    for (int i = 0; i < n; ++i) have[PQgetvalue(cols.get(), i, 0)] = PQgetvalue(cols.get(), i, 1);
    auto not_ours = [&](const std::string& why) {
      return fail(what,
                  fmt::format("the table exists but is not one s7log made: {}", why) +
                      "; choose another table ([output.postgres] table or schema) or drop it",
                  nullptr);
    };
    const std::pair<std::string_view, std::string_view> fixed[] = {
        {"ts", "timestamp with time zone"},
        {"plc", "text"},
        {"quality", "text"},
        {"errors", "text"}};
    for (const auto& [name, type] : fixed) {
      auto it = have.find(std::string(name));
      if (it == have.end()) return not_ours(fmt::format("it has no column {}", name));
      if (it->second != type)
        return not_ours(fmt::format("its column {} is {}, not {}", name, it->second, type));
    }
    std::vector<Column> missing;
    for (const auto& col : t.columns) {
      auto it = have.find(col.name);
      if (it == have.end()) {
        missing.push_back(col);
      } else if (it->second != type_name(col)) {
        const std::string need = type_name(col);
        const std::string msg = fmt::format(
            "{}: table {} has column {} of type {}, but tag '{}' needs {}: change the column "
            "(ALTER TABLE {} ALTER COLUMN {} TYPE {} USING {}::{}), rename the tag, or log the "
            "group into another table ([output.postgres] table)",
            describe_, t.qualified, quote_ident(col.name), it->second, col.name, need, t.qualified,
            quote_ident(col.name), need, quote_ident(col.name), need);
        drop();
        return s7::Error(s7::Errc::type_mismatch, redact(msg));
      }
    }
    if (!missing.empty()) {
      if (auto r = exec(add_columns_sql(t.qualified, missing), "adding columns to " + t.qualified);
          !r)
        return r;
    }
    ResultPtr key = query(
        "SELECT 1 FROM pg_index i WHERE i.indrelid = to_regclass($1) AND i.indisunique "
        "AND i.indnkeyatts = 2 AND (SELECT array_agg(a.attname::text ORDER BY a.attname) "
        "FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)) "
        "= ARRAY['plc', 'ts']",
        t.qualified);
    if (!key || PQresultStatus(key.get()) != PGRES_TUPLES_OK)
      return fail(what, result_text(c, key.get()), result_state(key.get()));
    if (PQntuples(key.get()) == 0)
      return fail(what,
                  fmt::format("the table has no unique key on (ts, plc), which keeps a replayed "
                              "row from being stored twice; add it (ALTER TABLE {} ADD PRIMARY "
                              "KEY (ts, plc))",
                              t.qualified),
                  nullptr);
  }
  if (timescale_) {
    if (auto r = exec(hypertable_sql(t.qualified), "making " + t.qualified + " a hypertable"); !r)
      return r;
  }
  if (auto r = exec("COMMIT", what); !r) return r;
  if (auto r = exec("DROP TABLE IF EXISTS " + t.stage, what); !r) return r;
  if (auto r = exec(create_stage_sql(t.stage, t.qualified), "creating staging table " + t.stage);
      !r)
    return r;
  t.prepared = true;
  return {};
}

s7::Result<void> PostgresDelivery::deliver(std::span<const logger::Sample* const> batch,
                                           bool historical) {
  (void)historical;  // every delivery is idempotent: one path for live rows and replays
  if (!conn_) return s7::Error(s7::Errc::not_connected, describe_ + ": not connected");
  // COPY text per group, in the order the groups first appear.
  std::vector<std::pair<const Group*, std::string>> parts;
  for (const logger::Sample* s : batch) {
    auto it = groups_.find({s->plc, s->group});
    // A group this run does not have (spooled by an earlier run whose config had it): its
    // columns are unknown, so it is passed over rather than holding up the spool for good.
    if (it == groups_.end()) continue;
    auto part = std::find_if(parts.begin(), parts.end(),
                             [&](const auto& p) { return p.first == &it->second; });
    if (part == parts.end()) {
      parts.emplace_back(&it->second, std::string());
      part = parts.end() - 1;
    }
    append_copy_row(part->second, *s, it->second.columns);
  }
  if (parts.empty()) return {};
  for (const auto& [g, rows] : parts) {
    Table& t = tables_[g->table];
    if (!t.prepared)
      if (auto r = prepare(t); !r) return r;
  }
  if (auto r = exec("BEGIN", "delivering"); !r) return r;
  std::set<std::size_t> touched;
  for (const auto& [g, rows] : parts) {
    const Table& t = tables_[g->table];
    if (auto r = copy_rows(g->copy, rows, "COPY into " + t.qualified); !r) return r;
    touched.insert(g->table);
  }
  for (std::size_t i : touched) {
    const Table& t = tables_[i];
    if (auto r = exec(insert_sql(t.qualified, t.stage), "INSERT into " + t.qualified); !r) return r;
  }
  return exec("COMMIT", "COMMIT");
}

}  // namespace sinks::postgres
