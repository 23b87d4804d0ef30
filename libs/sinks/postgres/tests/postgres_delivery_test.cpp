// PostgresDelivery against a private PostgreSQL server: tables, COPY, replays, ALTER, errors.
#include "sinks/postgres/postgres_delivery.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "private_postgres.hpp"

namespace sinks::postgres {
namespace {

using namespace std::chrono;
using testing::PrivatePostgres;

logger::TagInfo tag(const std::string& name, const std::string& address) {
  auto a = s7::parse_address(address);
  EXPECT_TRUE(a.ok()) << address;
  return logger::TagInfo{name, a.ok() ? *a : s7::Address{}};
}

s7::Value array(std::vector<s7::Scalar> elems) {
  s7::Value v;
  v.elems = std::move(elems);
  v.array = true;
  return v;
}

const system_clock::time_point kT0 = sys_days{2026y / 11 / 24} + 10h + 15min + 3s + 500ms;

logger::Sample sample(system_clock::time_point ts, std::vector<s7::Value> values,
                      const std::string& plc = "press1", const std::string& group = "fast") {
  logger::Sample s;
  s.ts = ts;
  s.plc = plc;
  s.group = group;
  for (auto& v : values) s.values.push_back({std::move(v)});
  return s;
}

s7::Result<void> deliver(PostgresDelivery& d, const std::vector<logger::Sample>& samples,
                         bool historical = false) {
  std::vector<const logger::Sample*> ptrs;
  for (const auto& s : samples) ptrs.push_back(&s);
  return d.deliver(ptrs, historical);
}

TEST(PostgresConninfo, DescribesTheServerWithoutThePassword) {
  EXPECT_EQ(describe_conninfo("postgresql://u:s3cret@db.example:6543/plant"),
            "PostgreSQL u@db.example:6543/plant");
  EXPECT_EQ(describe_conninfo("host=db.example dbname=plant user=u password=s3cret"),
            "PostgreSQL u@db.example:5432/plant");
  EXPECT_EQ(describe_conninfo("postgresql://u@db.example/"), "PostgreSQL u@db.example:5432/u");
  EXPECT_TRUE(check_conninfo("postgresql://u:s3cret@db.example/plant").ok());
  for (const char* bad : {"postgresql://u:s3cret@db.example/plant?bogus=s3cret",
                          "host=h password=s3cret bogus=1", "host='h password=s3cret"}) {
    auto r = check_conninfo(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().what().find("the PostgreSQL URL is not valid"), std::string::npos);
    EXPECT_EQ(r.error().what().find("s3cret"), std::string::npos) << r.error().what();
  }
}

TEST(PostgresConninfo, OpenGroupRefusesWhatPostgresCannotHoldWithoutIo) {
  PostgresDelivery d({"postgresql://u@127.0.0.1:1/x"});
  EXPECT_FALSE(d.open_group("p", "g", {tag("ts", "DB1.DBD0:REAL")}).ok());
  ASSERT_TRUE(d.open_group("p", "a", {tag("x", "DB1.DBD0:REAL")}).ok());
  PostgresOptions shared{"postgresql://u@127.0.0.1:1/x"};
  shared.table = "data";
  PostgresDelivery s(shared);
  ASSERT_TRUE(s.open_group("p1", "a", {tag("x", "DB1.DBD0:REAL")}).ok());
  ASSERT_TRUE(s.open_group("p2", "a", {tag("x", "DB1.DBD0:REAL")}).ok());
  auto collide = s.open_group("p1", "b", {tag("y", "DB1.DBD0:REAL")});
  ASSERT_FALSE(collide.ok());
  EXPECT_NE(collide.error().what().find("put {group} in [output.postgres] table"),
            std::string::npos);
  auto types = s.open_group("p3", "a", {tag("x", "DB1.DBW0:INT")});
  ASSERT_FALSE(types.ok());
  EXPECT_NE(types.error().what().find("needs smallint"), std::string::npos) << types.error().what();
  EXPECT_FALSE(s.connected());
}

class PostgresDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pg_.available()) GTEST_SKIP() << pg_.skip_reason();
    ASSERT_TRUE(pg_.running()) << pg_.error();
  }

  std::string count(const std::string& table) {
    return *pg_.query("SELECT count(*) FROM " + table)[0][0];
  }

  // column name -> format_type of the table's columns.
  std::map<std::string, std::string> columns(const std::string& table) {
    std::map<std::string, std::string> out;
    for (auto& r : pg_.query("SELECT column_name, data_type, udt_name FROM "
                             "information_schema.columns WHERE table_schema = 'public' AND "
                             "table_name = '" +
                             table + "'"))
      out[*r[0]] = *r[1] == "ARRAY" ? *r[2] : *r[1];
    return out;
  }

  PrivatePostgres pg_;
};

TEST_F(PostgresDeliveryTest, CreatesTheTableWithTypedColumnsAndAUniqueKey) {
  PostgresDelivery d({pg_.url()});
  auto scaled = tag("level", "DB1.DBW40:INT");
  scaled.scale = logger::LinearScale{0, 27648, 0, 100};
  ASSERT_TRUE(
      d.open_group(
           "press1", "fast",
           {tag("on", "DB1.DBX0.0"), tag("i", "DB1.DBW2:INT"), tag("di", "DB1.DBD4:DINT"),
            tag("dw", "DB1.DBD8:DWORD"), tag("ul", "DB1.DBD12:ULINT"), tag("r", "DB1.DBD20:REAL"),
            tag("lr", "DB1.DBD24:LREAL"), tag("s", "DB1.DBB32:STRING[8]"),
            tag("t", "DB1.DBD42:TIME"), tag("d", "DB1.DBW46:DATE"), tag("tod", "DB1.DBD48:TOD"),
            tag("dtl", "DB1.DBB52:DTL"), tag("ra", "DB1.DBD64:REAL[3]"), scaled})
          .ok());
  EXPECT_EQ(d.describe(), "PostgreSQL s7log@127.0.0.1:" + std::to_string(pg_.port()) + "/postgres");
  auto r = d.connect();
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_TRUE(d.connected());
  EXPECT_EQ(d.table_of("press1", "fast"), "\"public\".\"fast\"");
  const std::map<std::string, std::string> want = {{"ts", "timestamp with time zone"},
                                                   {"plc", "text"},
                                                   {"quality", "text"},
                                                   {"errors", "text"},
                                                   {"on", "boolean"},
                                                   {"i", "smallint"},
                                                   {"di", "integer"},
                                                   {"dw", "bigint"},
                                                   {"ul", "numeric"},
                                                   {"r", "real"},
                                                   {"lr", "double precision"},
                                                   {"s", "text"},
                                                   {"t", "interval"},
                                                   {"d", "date"},
                                                   {"tod", "time without time zone"},
                                                   {"dtl", "timestamp without time zone"},
                                                   {"ra", "_float4"},
                                                   {"level", "double precision"}};
  EXPECT_EQ(columns("fast"), want);
  auto key = pg_.query(
      "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'public.fast'::regclass "
      "AND indisprimary");
  ASSERT_EQ(key.size(), 1u);
  EXPECT_NE(key[0][0]->find("(ts, plc)"), std::string::npos) << *key[0][0];
  EXPECT_FALSE(d.hypertables());
}

TEST_F(PostgresDeliveryTest, DeliversABatchThatReadsBackEqualWithTsInUtc) {
  PostgresDelivery d({pg_.url()});
  ASSERT_TRUE(d.open_group("press1", "fast",
                           {tag("on", "DB1.DBX0.0"), tag("i", "DB1.DBW2:INT"),
                            tag("ul", "DB1.DBD12:ULINT"), tag("r", "DB1.DBD20:REAL"),
                            tag("s", "DB1.DBB32:STRING[30]"), tag("t", "DB1.DBD42:TIME"),
                            tag("lt", "DB1.DBD70:LTIME"), tag("d", "DB1.DBW46:DATE"),
                            tag("tod", "DB1.DBD48:TOD"), tag("dtl", "DB1.DBB52:DTL")})
                  .ok());
  ASSERT_TRUE(d.connect().ok());
  std::vector<logger::Sample> batch;
  batch.push_back(
      sample(kT0, {s7::Scalar(true), s7::Scalar(std::int64_t{-123}),
                   s7::Scalar(std::uint64_t{18446744073709551615u}), s7::Scalar(1.23f),
                   s7::Scalar(std::string("tab\there\\ \"q\"\n")), s7::Scalar(std::int64_t{1500}),
                   s7::Scalar(std::int64_t{2500000000}), s7::Scalar(std::string("2026-11-24")),
                   s7::Scalar(std::string("10:15:03.123")),
                   s7::Scalar(std::string("2026-11-24T10:15:03.123456789"))}));
  batch.push_back(sample(
      kT0 + 1s, {s7::Scalar(false), s7::Scalar(std::int64_t{7}), s7::Scalar(std::uint64_t{0}),
                 s7::Scalar(-0.5f), s7::Scalar(std::string("")), s7::Scalar(std::int64_t{0}),
                 s7::Scalar(std::int64_t{0}), s7::Scalar(std::string("1990-01-01")),
                 s7::Scalar(std::string("00:00:00.000")),
                 s7::Scalar(std::string("1990-01-01T00:00:00.000000000"))}));
  batch[1].values[1] = {std::nullopt, logger::Quality::item_error};
  batch[1].quality = logger::Quality::item_error;
  logger::Sample missed;
  missed.ts = kT0 + 2s;
  missed.plc = "press1";
  missed.group = "fast";
  missed.missed = true;
  missed.quality = logger::Quality::comm_error;
  batch.push_back(missed);
  auto r = deliver(d, batch);
  ASSERT_TRUE(r.ok()) << r.error().what();

  // A reader in another time zone still sees the UTC instant.
  auto rows = pg_.query(
      "SET TimeZone = 'America/New_York'; SELECT to_char(ts AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD HH24:MI:SS.US'), plc, quality, errors, \"on\"::text, i::text, ul::text, "
      "r::text, s, t::text, lt::text, d::text, tod::text, dtl::text FROM fast ORDER BY ts");
  ASSERT_EQ(rows.size(), 3u);
  using R = PrivatePostgres::Row;
  EXPECT_EQ(rows[0], (R{"2026-11-24 10:15:03.500000", "press1", "ok", std::nullopt, "true", "-123",
                        "18446744073709551615", "1.23", "tab\there\\ \"q\"\n", "00:00:01.5",
                        "00:00:02.5", "2026-11-24", "10:15:03.123", "2026-11-24 10:15:03.123456"}));
  EXPECT_EQ(rows[1], (R{"2026-11-24 10:15:04.500000", "press1", "item_error", "i: item_error",
                        "false", std::nullopt, "0", "-0.5", "", "00:00:00", "00:00:00",
                        "1990-01-01", "00:00:00", "1990-01-01 00:00:00"}));
  EXPECT_EQ(rows[2],
            (R{"2026-11-24 10:15:05.500000", "press1", "comm_error", "missed: no read in this slot",
               std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
               std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
}

TEST_F(PostgresDeliveryTest, ARedeliveryAddsNoRow) {
  PostgresDelivery d({pg_.url()});
  ASSERT_TRUE(d.open_group("press1", "fast", {tag("r", "DB1.DBD0:REAL")}).ok());
  ASSERT_TRUE(d.open_group("press2", "fast", {tag("r", "DB1.DBD0:REAL")}).ok());
  ASSERT_TRUE(d.connect().ok());
  std::vector<logger::Sample> batch = {sample(kT0, {s7::Scalar(1.0f)}),
                                       sample(kT0 + 1s, {s7::Scalar(2.0f)}),
                                       sample(kT0, {s7::Scalar(9.0f)}, "press2")};
  ASSERT_TRUE(deliver(d, batch).ok());
  EXPECT_EQ(count("fast"), "3");
  ASSERT_TRUE(deliver(d, batch, true).ok());  // the same batch from the spool
  EXPECT_EQ(count("fast"), "3");
  // A replay overlapping new rows: only the new one is added; the stored value stays.
  std::vector<logger::Sample> more = {sample(kT0 + 1s, {s7::Scalar(5.0f)}),
                                      sample(kT0 + 2s, {s7::Scalar(3.0f)})};
  ASSERT_TRUE(deliver(d, more, true).ok());
  EXPECT_EQ(count("fast"), "4");
  EXPECT_EQ(*pg_.query("SELECT r::text FROM fast WHERE plc = 'press1' ORDER BY ts")[1][0], "2");
  // A fresh delivery (after a crash) replaying everything also adds nothing.
  PostgresDelivery again({pg_.url()});
  ASSERT_TRUE(again.open_group("press1", "fast", {tag("r", "DB1.DBD0:REAL")}).ok());
  ASSERT_TRUE(again.open_group("press2", "fast", {tag("r", "DB1.DBD0:REAL")}).ok());
  ASSERT_TRUE(again.connect().ok());
  ASSERT_TRUE(deliver(again, batch, true).ok());
  EXPECT_EQ(count("fast"), "4");
}

// A spool from an earlier run can hold samples of a group the config no longer has: they are
// passed over, and the samples around them still arrive (the spool is never stuck on them).
TEST_F(PostgresDeliveryTest, SamplesOfAGroupNotOpenedArePassedOver) {
  PostgresDelivery d({pg_.url()});
  ASSERT_TRUE(d.open_group("press1", "fast", {tag("r", "DB1.DBD0:REAL")}).ok());
  ASSERT_TRUE(d.connect().ok());
  std::vector<logger::Sample> batch = {sample(kT0, {s7::Scalar(1.0f)}),
                                       sample(kT0, {s7::Scalar(7.0f)}, "press1", "gone"),
                                       sample(kT0 + 1s, {s7::Scalar(2.0f)})};
  ASSERT_TRUE(deliver(d, batch, true).ok());
  EXPECT_EQ(count("fast"), "2");
  EXPECT_TRUE(d.connected());
}

TEST_F(PostgresDeliveryTest, ANewTagAddsAColumnAndOldRowsHaveNullThere) {
  {
    PostgresDelivery d({pg_.url()});
    ASSERT_TRUE(d.open_group("press1", "fast", {tag("a", "DB1.DBD0:REAL")}).ok());
    ASSERT_TRUE(d.connect().ok());
    ASSERT_TRUE(deliver(d, {sample(kT0, {s7::Scalar(1.0f)})}).ok());
    // A config reload while connected: the next delivery adds the column first.
    ASSERT_TRUE(
        d.open_group("press1", "fast", {tag("a", "DB1.DBD0:REAL"), tag("b", "DB1.DBW4:INT")}).ok());
    auto r = deliver(d, {sample(kT0 + 1s, {s7::Scalar(2.0f), s7::Scalar(std::int64_t{20})})});
    ASSERT_TRUE(r.ok()) << r.error().what();
  }
  // A restart with yet another tag, in another position.
  PostgresDelivery d({pg_.url()});
  ASSERT_TRUE(
      d.open_group("press1", "fast",
                   {tag("c", "DB1.DBX6.0"), tag("a", "DB1.DBD0:REAL"), tag("b", "DB1.DBW4:INT")})
          .ok());
  auto r = d.connect();
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_TRUE(deliver(d, {sample(kT0 + 2s, {s7::Scalar(true), s7::Scalar(3.0f),
                                            s7::Scalar(std::int64_t{30})})})
                  .ok());
  EXPECT_EQ(columns("fast").at("b"), "smallint");
  EXPECT_EQ(columns("fast").at("c"), "boolean");
  using R = PrivatePostgres::Row;
  auto rows = pg_.query("SELECT a::text, b::text, c::text FROM fast ORDER BY ts");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (R{"1", std::nullopt, std::nullopt}));
  EXPECT_EQ(rows[1], (R{"2", "20", std::nullopt}));
  EXPECT_EQ(rows[2], (R{"3", "30", "true"}));
}

TEST_F(PostgresDeliveryTest, AConflictingColumnTypeIsOneClearError) {
  pg_.exec(
      "CREATE TABLE fast (ts timestamptz NOT NULL, plc text NOT NULL, quality text NOT NULL, "
      "errors text, temp integer, PRIMARY KEY (ts, plc))");
  PostgresDelivery d({pg_.url()});
  ASSERT_TRUE(d.open_group("press1", "fast", {tag("temp", "DB1.DBD0:REAL")}).ok());
  auto r = d.connect();
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(d.connected());
  const std::string m = r.error().what();
  EXPECT_NE(m.find("127.0.0.1:" + std::to_string(pg_.port())), std::string::npos) << m;
  EXPECT_NE(m.find("table \"public\".\"fast\" has column \"temp\" of type integer, but tag "
                   "'temp' needs real"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("ALTER TABLE \"public\".\"fast\" ALTER COLUMN \"temp\" TYPE real"),
            std::string::npos)
      << m;
  EXPECT_TRUE(r.error().is(s7::Errc::type_mismatch));
}

TEST_F(PostgresDeliveryTest, ATableThatIsNotOursIsRefused) {
  pg_.exec("CREATE TABLE fast (id serial PRIMARY KEY, note text)");
  PostgresDelivery d({pg_.url()});
  ASSERT_TRUE(d.open_group("press1", "fast", {tag("temp", "DB1.DBD0:REAL")}).ok());
  auto r = d.connect();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("it has no column ts"), std::string::npos) << r.error().what();
}

TEST_F(PostgresDeliveryTest, AWrongPasswordNamesTheServerAndTheHintButNotThePassword) {
  pg_.exec(std::string("CREATE ROLE ") + PrivatePostgres::kPasswordUser +
           " LOGIN SUPERUSER PASSWORD 'Right-Pa55'");
  const std::string where = "127.0.0.1:" + std::to_string(pg_.port());
  {
    PostgresDelivery d({pg_.url("postgres", PrivatePostgres::kPasswordUser, "Wr0ng-Secret")});
    auto r = d.connect();
    ASSERT_FALSE(r.ok());
    const std::string m = r.error().what();
    EXPECT_NE(m.find("PostgreSQL s7log_pw@" + where + "/postgres"), std::string::npos) << m;
    EXPECT_NE(m.find("check the user and the password (PGPASSWORD, ~/.pgpass or the URL)"),
              std::string::npos)
        << m;
    EXPECT_EQ(m.find("Wr0ng-Secret"), std::string::npos) << m;
    EXPECT_EQ(d.describe().find("Wr0ng-Secret"), std::string::npos);
    EXPECT_FALSE(d.connected());
  }
  {
    ::setenv("PGPASSWORD", "Env-Wr0ng", 1);
    PostgresDelivery d({pg_.url("postgres", PrivatePostgres::kPasswordUser)});
    auto r = d.connect();
    ::unsetenv("PGPASSWORD");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().what().find("check the user and the password"), std::string::npos);
    EXPECT_EQ(r.error().what().find("Env-Wr0ng"), std::string::npos);
  }
  PostgresDelivery d({pg_.url("postgres", PrivatePostgres::kPasswordUser, "Right-Pa55")});
  ASSERT_TRUE(d.open_group("", "", {tag("r", "DB1.DBD0:REAL")}).ok());
  auto r = d.connect();
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_TRUE(deliver(d, {sample(kT0, {s7::Scalar(1.0f)}, "", "")}).ok());
  EXPECT_EQ(count("log"), "1");
}

TEST_F(PostgresDeliveryTest, UnknownHostAndMissingDatabaseSayWhatToCheck) {
  PostgresDelivery host({"postgresql://s7log@no-such-host.invalid:5432/plant"});
  auto r = host.connect();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("no-such-host.invalid"), std::string::npos) << r.error().what();
  EXPECT_NE(r.error().what().find("check the host name"), std::string::npos) << r.error().what();

  PostgresDelivery db({pg_.url("nosuchdb")});
  r = db.connect();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("create it (createdb nosuchdb) or fix the URL"),
            std::string::npos)
      << r.error().what();
}

TEST_F(PostgresDeliveryTest, AStoppedServerIsRefusedAndAfterItsRestartDeliveryGoesOn) {
  PostgresDelivery d({pg_.url()});
  ASSERT_TRUE(d.open_group("press1", "fast", {tag("r", "DB1.DBD0:REAL")}).ok());
  ASSERT_TRUE(d.connect().ok());
  ASSERT_TRUE(deliver(d, {sample(kT0, {s7::Scalar(1.0f)})}).ok());

  ASSERT_TRUE(pg_.stop());
  std::vector<logger::Sample> batch = {sample(kT0 + 1s, {s7::Scalar(2.0f)})};
  auto r = deliver(d, batch);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(d.connected());
  r = d.connect();
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(d.connected());
  const std::string where = "127.0.0.1:" + std::to_string(pg_.port());
  EXPECT_NE(r.error().what().find("is PostgreSQL running and listening on " + where + "?"),
            std::string::npos)
      << r.error().what();
  EXPECT_TRUE(r.error().is(s7::Errc::connection_refused));

  ASSERT_TRUE(pg_.start()) << pg_.error();
  r = d.connect();
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_TRUE(deliver(d, batch, true).ok());
  EXPECT_EQ(count("fast"), "2");
}

TEST_F(PostgresDeliveryTest, ArraysRoundTrip) {
  PostgresDelivery d({pg_.url()});
  ASSERT_TRUE(d.open_group("press1", "fast",
                           {tag("ra", "DB1.DBD0:REAL[3]"), tag("ba", "DB1.DBX20.0:BOOL[4]"),
                            tag("ia", "DB1.DBW22:INT[2]"), tag("ca", "DB1.DBB30:CHAR[3]"),
                            tag("ta", "DB1.DBD40:TIME[2]")})
                  .ok());
  ASSERT_TRUE(d.connect().ok());
  auto s = sample(kT0, {array({1.5f, -2.0f, 0.25f}), array({true, false, true, false}),
                        array({std::int64_t{-1}, std::int64_t{32767}}),
                        array({std::string("a"), std::string("\""), std::string(",")}),
                        array({std::int64_t{1000}, std::int64_t{-250}})});
  auto r = deliver(d, {s});
  ASSERT_TRUE(r.ok()) << r.error().what();
  auto rows = pg_.query(
      "SELECT ra::text, ba::text, ia::text, ca::text, ta::text, ra[2]::text, ca[2] FROM fast");
  ASSERT_EQ(rows.size(), 1u);
  using R = PrivatePostgres::Row;
  EXPECT_EQ(rows[0], (R{"{1.5,-2,0.25}", "{t,f,t,f}", "{-1,32767}", "{a,\"\\\"\",\",\"}",
                        "{00:00:01,-00:00:00.25}", "-2", "\""}));
}

TEST_F(PostgresDeliveryTest, ASchemaIsCreatedWhenMissing) {
  PostgresOptions o{pg_.url()};
  o.schema = "Plant Data";
  o.table = "{plc}_{group}";
  PostgresDelivery d(o);
  ASSERT_TRUE(d.open_group("press1", "fast", {tag("r", "DB1.DBD0:REAL")}).ok());
  auto r = d.connect();
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_TRUE(deliver(d, {sample(kT0, {s7::Scalar(1.0f)})}).ok());
  EXPECT_EQ(count("\"Plant Data\".\"press1_fast\""), "1");
}

}  // namespace
}  // namespace sinks::postgres
