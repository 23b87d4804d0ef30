// Tests of s7::Client against scripted raw loopback servers (byte-exact frames, pipelining,
// timeouts, quirky peers) and against the real in-process s7::Server (round trips).
#include <gtest/gtest.h>

#include <asio.hpp>
#include <atomic>
#include <cstdio>
#include <functional>
#include <sstream>
#include <thread>

#include "platform/net.hpp"
#include "s7/client.hpp"
#include "s7/memory.hpp"
#include "s7/server.hpp"

namespace {

using asio::ip::tcp;
using s7::Bytes;
using s7::Errc;
using s7::ItemSpec;

Bytes hex(const std::string& text) {
  Bytes out;
  std::istringstream in(text);
  std::string b;
  while (in >> b) out.push_back(static_cast<std::uint8_t>(std::stoul(b, nullptr, 16)));
  return out;
}

// One TPKT frame from a blocking socket.
Bytes read_tpkt(tcp::socket& s) {
  Bytes f(4);
  asio::read(s, asio::buffer(f));
  const std::size_t len = static_cast<std::size_t>((f[2] << 8) | f[3]);
  f.resize(len);
  asio::read(s, asio::buffer(f.data() + 4, len - 4));
  return f;
}

// Wraps an S7 PDU into TPKT + COTP DT (EOT).
Bytes dt(const Bytes& pdu) {
  Bytes f{0x03, 0x00, 0, 0, 0x02, 0xF0, 0x80};
  f.insert(f.end(), pdu.begin(), pdu.end());
  f[2] = static_cast<std::uint8_t>(f.size() >> 8);
  f[3] = static_cast<std::uint8_t>(f.size() & 0xFF);
  return f;
}

std::uint16_t job_ref(const Bytes& frame) {
  return static_cast<std::uint16_t>((frame[11] << 8) | frame[12]);
}

// Ack_Data (12-byte header, error 0) with the given parameter and data parts.
Bytes ack_data(std::uint16_t ref, const Bytes& param, const Bytes& data,
               std::uint8_t rosctr = 0x03) {
  Bytes p{0x32,
          rosctr,
          0x00,
          0x00,
          static_cast<std::uint8_t>(ref >> 8),
          static_cast<std::uint8_t>(ref & 0xFF),
          static_cast<std::uint8_t>(param.size() >> 8),
          static_cast<std::uint8_t>(param.size() & 0xFF),
          static_cast<std::uint8_t>(data.size() >> 8),
          static_cast<std::uint8_t>(data.size() & 0xFF)};
  if (rosctr != 0x07) {
    p.push_back(0x00);
    p.push_back(0x00);
  }
  p.insert(p.end(), param.begin(), param.end());
  p.insert(p.end(), data.begin(), data.end());
  return dt(p);
}

void send(tcp::socket& s, const Bytes& b) {
  asio::write(s, asio::buffer(b));
}

// CR -> mirrored CC, setup communication -> granted PDU/AmQ. Returns the CR and setup frames.
std::pair<Bytes, Bytes> handshake(tcp::socket& s, std::uint16_t pdu = 480, std::uint16_t amq = 1) {
  Bytes cr = read_tpkt(s);
  Bytes cc = cr;
  cc[5] = 0xD0;
  cc[6] = cr[8];
  cc[7] = cr[9];
  cc[8] = 0x00;
  cc[9] = 0x01;
  send(s, cc);
  Bytes setup = read_tpkt(s);
  send(s, ack_data(job_ref(setup),
                   {0xF0, 0x00, static_cast<std::uint8_t>(amq >> 8),
                    static_cast<std::uint8_t>(amq & 0xFF), static_cast<std::uint8_t>(amq >> 8),
                    static_cast<std::uint8_t>(amq & 0xFF), static_cast<std::uint8_t>(pdu >> 8),
                    static_cast<std::uint8_t>(pdu & 0xFF)},
                   {}));
  return {cr, setup};
}

// A loopback server that runs `script` on the first accepted connection, on its own thread.
class RawPlc {
 public:
  using Script = std::function<void(tcp::socket&)>;
  explicit RawPlc(Script script)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, script = std::move(script)] {
      try {
        tcp::socket sock(io_);
        acceptor_.accept(sock);
        accepted_ = true;
        fd_ = static_cast<platform::socket_handle>(sock.native_handle());
        script(sock);
        // Keep the connection until the client closes it (or the test ends).
        std::uint8_t b[256];
        std::error_code ec;
        while (!ec) sock.read_some(asio::buffer(b), ec);
        fd_ = platform::kInvalidSocket;
      } catch (const std::exception&) {
        fd_ = platform::kInvalidSocket;
      }
      done_ = true;
    });
  }
  ~RawPlc() {
    // Unblock accept() (a connection of our own: shutting a listener down wakes accept() only
    // on Linux) or the read in the thread, then join it.
    if (!accepted_) {
      asio::io_context io;
      tcp::socket poke(io);
      std::error_code ec;
      poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
      while (!accepted_ && !done_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    platform::shutdown_socket(fd_);
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

  s7::ClientOptions options(std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
    s7::ClientOptions o;
    o.port = port_;
    o.connect_timeout = timeout;
    o.request_timeout = timeout;
    return o;
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<platform::socket_handle> fd_{platform::kInvalidSocket};
  std::atomic<bool> accepted_{false};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

ItemSpec db_bytes(std::uint16_t db, std::uint32_t byte, std::uint16_t count) {
  ItemSpec s;
  s.transport = 0x02;
  s.count = count;
  s.db = db;
  s.area = 0x84;
  s.address = byte * 8;
  return s;
}

ItemSpec db_bit(std::uint16_t db, std::uint32_t byte, std::uint8_t bit) {
  ItemSpec s = db_bytes(db, byte, 1);
  s.transport = 0x01;
  s.address = byte * 8 + bit;
  return s;
}

TEST(ClientConnect, SendsCrWithOpTsapAndTpdu1024ThenAsksPdu960AndEightJobs) {
  Bytes cr, setup;
  {
    RawPlc plc([&](tcp::socket& s) { std::tie(cr, setup) = handshake(s, 480, 3); });
    s7::Client c(plc.options());
    ASSERT_TRUE(c.connect()) << "connect";
    EXPECT_TRUE(c.connected());
    EXPECT_EQ(c.pdu_length(), 480);  // min(asked 960, granted 480)
    EXPECT_EQ(c.max_parallel(), 3);  // min(asked 8, granted 3)
    c.disconnect();
    EXPECT_FALSE(c.connected());
  }
  // C0 01 0A (TPDU 1024), C1 02 01 00 (local TSAP), C2 02 02 01 (OP, rack 0, slot 1).
  EXPECT_EQ(cr, hex("03 00 00 16 11 E0 00 00 00 01 00 C0 01 0A C1 02 01 00 C2 02 02 01"));
  ASSERT_EQ(setup.size(), 25u);
  Bytes expected =
      hex("03 00 00 19 02 F0 80 32 01 00 00 00 00 00 08 00 00 F0 00 00 08 00 08 03 C0");
  expected[11] = setup[11];
  expected[12] = setup[12];
  EXPECT_EQ(setup, expected);
}

TEST(ClientConnect, PgTypeAndRackSlotGoIntoTheCalledTsap) {
  Bytes cr;
  {
    RawPlc plc([&](tcp::socket& s) { cr = handshake(s).first; });
    auto o = plc.options();
    o.type = s7::ConnectionType::pg;
    o.rack = 0;
    o.slot = 2;
    s7::Client c(o);
    ASSERT_TRUE(c.connect());
    c.disconnect();
  }  // joins the fake PLC's thread: `cr` is written before it is read
  ASSERT_GE(cr.size(), 22u);
  EXPECT_EQ(Bytes(cr.end() - 4, cr.end()), hex("C2 02 01 02"));
}

TEST(ClientConnect, AcceptsTheShortCcOfThePythonSnap7Server) {
  RawPlc plc([](tcp::socket& s) {
    (void)read_tpkt(s);
    send(s, hex("03 00 00 0E 09 D0 00 01 00 01 00 C0 01 0A"));
    Bytes setup = read_tpkt(s);
    send(s, ack_data(job_ref(setup), hex("F0 00 00 01 00 01 01 E0"), {}));
  });
  s7::Client c(plc.options());
  auto r = c.connect();
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(c.pdu_length(), 480);
  EXPECT_EQ(c.max_parallel(), 1);
}

TEST(ClientConnect, RefusedConnectionNamesHostPortRackAndSlot) {
  std::uint16_t port = 0;
  {
    asio::io_context io;
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = a.local_endpoint().port();
  }  // closed: nothing listens there now
  s7::ClientOptions o;
  o.port = port;
  s7::Client c(o);
  auto r = c.connect();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(Errc::connection_refused));
  const std::string p = std::to_string(port);
  EXPECT_EQ(r.error().what(), "connection refused by 127.0.0.1:" + p +
                                  " (rack 0, slot 1): nothing listens on port " + p +
                                  " at 127.0.0.1: check the port (a real PLC listens on 102, the "
                                  "course's fake PLC on 1102)");
  EXPECT_EQ(r.error().what().find("PUT/GET"), std::string::npos);  // not the cause here
  EXPECT_FALSE(c.connected());
}

TEST(ClientConnect, PeerClosingAfterTheCrIsReportedAsRackSlotProblem) {
  RawPlc plc([](tcp::socket& s) {
    (void)read_tpkt(s);
    s.close();
  });
  s7::Client c(plc.options());
  auto r = c.connect();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(Errc::iso_refused)) << r.error().what();
  EXPECT_NE(r.error().what().find("rack and slot"), std::string::npos);
}

TEST(ClientConnect, SilentPeerTimesOut) {
  RawPlc plc([](tcp::socket& s) { (void)read_tpkt(s); });  // never answers the CR
  s7::Client c(plc.options(std::chrono::milliseconds(200)));
  auto r = c.connect();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(Errc::connect_timeout)) << r.error().what();
  EXPECT_FALSE(c.connected());
}

TEST(ClientConnect, PeerThatIsNotAnS7PortIsNamedAsSuch) {
  RawPlc plc([](tcp::socket& s) {
    (void)read_tpkt(s);
    send(s, Bytes{'H', 'T', 'T', 'P', '/', '1', '.', '1', ' ', '4', '0', '0', '\r', '\n'});
  });
  s7::Client c(plc.options(std::chrono::milliseconds(2000)));
  auto r = c.connect();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(Errc::malformed_frame)) << r.error().what();
  EXPECT_NE(r.error().what().find("not ISO-on-TCP"), std::string::npos) << r.error().what();
  EXPECT_NE(r.error().what().find("127.0.0.1:"), std::string::npos) << r.error().what();
  EXPECT_FALSE(c.connected());
}

TEST(ClientConnect, UnknownHostIsReported) {
  s7::ClientOptions o;
  o.host = "no-such-host.invalid";
  o.connect_timeout = std::chrono::seconds(5);
  s7::Client c(o);
  auto r = c.connect();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(Errc::host_not_found) || r.error().is(Errc::connect_timeout))
      << r.error().what();
  EXPECT_NE(r.error().what().find("no-such-host.invalid"), std::string::npos);
}

TEST(ClientRead, SendsTheReadVarJobAndReturnsTheBytes) {
  Bytes job;
  RawPlc plc([&](tcp::socket& s) {
    handshake(s);
    job = read_tpkt(s);
    send(s, ack_data(job_ref(job), hex("04 01"),
                     hex("FF 04 00 60 00 01 02 03 04 05 06 07 08 09 0A 0B")));
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  auto r = c.read_bytes(s7::Area::db, 1, 0, 12);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(*r, hex("00 01 02 03 04 05 06 07 08 09 0A 0B"));
  Bytes expected =
      hex("03 00 00 1F 02 F0 80 32 01 00 00 00 00 00 0E 00 00 04 01 12 0A 10 02 00 0C 00 01 84 00 "
          "00 00");
  ASSERT_EQ(job.size(), expected.size());
  expected[11] = job[11];
  expected[12] = job[12];
  EXPECT_EQ(job, expected);
}

TEST(ClientRead, MultiItemAnswerWithFillBytesAndErrorItemsGivesOneResultPerItem) {
  // Answer shaped like the Snap7 server's (fact sheet §10.5): stale fill bytes, error items
  // with length 4, REAL with a byte length.
  RawPlc plc([](tcp::socket& s) {
    handshake(s);
    Bytes job = read_tpkt(s);
    send(s, ack_data(job_ref(job), hex("04 05"),
                     hex("FF 04 00 08 07 9D 0A 00 00 04 05 00 00 04 FF 07 00 04 3F 9D 70 A4 "
                         "FF 03 00 01 01")));
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  ItemSpec real = db_bytes(1, 6, 1);
  real.transport = 0x08;
  std::vector<ItemSpec> items{db_bytes(1, 11, 1), db_bytes(3, 0, 2), db_bytes(1, 60, 10), real,
                              db_bit(1, 10, 0)};
  auto r = c.read(items);
  ASSERT_EQ(r.size(), 5u);
  ASSERT_TRUE(r[0]);
  EXPECT_EQ(*r[0], hex("07"));
  ASSERT_FALSE(r[1]);
  EXPECT_TRUE(r[1].error().is(Errc::item_not_found));
  EXPECT_EQ(r[1].error().what(), "DB3.DBW0: DB3 does not exist on the PLC (item error 0x0A)");
  ASSERT_FALSE(r[2]);
  EXPECT_TRUE(r[2].error().is(Errc::item_out_of_range));
  ASSERT_TRUE(r[3]);
  EXPECT_EQ(*r[3], hex("3F 9D 70 A4"));
  ASSERT_TRUE(r[4]);
  EXPECT_EQ(*r[4], hex("01"));
  EXPECT_TRUE(c.connected());  // item errors keep the connection
}

TEST(ClientRead, BitAnsweredWithTheWholeByteGivesTheAddressedBit) {
  // The python-snap7 server answers BIT items with the whole byte (0x04, 8 bits).
  RawPlc plc([](tcp::socket& s) {
    handshake(s);
    Bytes job = read_tpkt(s);
    send(s, ack_data(job_ref(job), hex("04 02"), hex("FF 04 00 08 A1 00 FF 04 00 08 A1")));
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  std::vector<ItemSpec> items{db_bit(1, 30, 5), db_bit(1, 30, 1)};
  auto r = c.read(items);
  ASSERT_TRUE(r[0] && r[1]);
  EXPECT_EQ(*r[0], hex("01"));  // 0xA1 bit 5 set
  EXPECT_EQ(*r[1], hex("00"));  // bit 1 clear
}

TEST(ClientRead, HeaderError8104MeansPutGetDisabled) {
  RawPlc plc([](tcp::socket& s) {
    handshake(s);
    Bytes job = read_tpkt(s);
    Bytes ack = hex("03 00 00 13 02 F0 80 32 02 00 00 00 00 00 00 00 00 81 04");
    ack[11] = job[11];
    ack[12] = job[12];
    send(s, ack);
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  std::vector<ItemSpec> items{db_bytes(1, 0, 4), db_bytes(1, 4, 2)};
  auto r = c.read(items);
  for (auto& x : r) {
    ASSERT_FALSE(x);
    EXPECT_TRUE(x.error().is(Errc::cpu_function_not_available));
    EXPECT_NE(x.error().what().find("PUT/GET"), std::string::npos);
    EXPECT_EQ(x.error().s7_code, 0x8104);
  }
}

TEST(ClientRead, OtherHeaderErrorsNameClassAndCode) {
  RawPlc plc([](tcp::socket& s) {
    handshake(s);
    Bytes job = read_tpkt(s);
    Bytes ack = hex("03 00 00 13 02 F0 80 32 02 00 00 00 00 00 00 00 00 85 00");
    ack[11] = job[11];
    ack[12] = job[12];
    send(s, ack);
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  std::vector<ItemSpec> items{db_bytes(1, 0, 4)};
  auto r = c.read(items);
  ASSERT_FALSE(r[0]);
  EXPECT_TRUE(r[0].error().is(Errc::header_error));
  EXPECT_NE(r[0].error().what().find("class 0x85 code 0x00"), std::string::npos);
}

TEST(ClientRead, WrongItemCountInTheAnswerDropsTheConnection) {
  RawPlc plc([](tcp::socket& s) {
    handshake(s);
    Bytes job = read_tpkt(s);
    send(s, ack_data(job_ref(job), hex("04 01"), hex("FF 04 00 10 00 19")));
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  std::vector<ItemSpec> items{db_bytes(1, 4, 2), db_bytes(1, 6, 2)};
  auto r = c.read(items);
  ASSERT_FALSE(r[0]);
  EXPECT_TRUE(r[0].error().is(Errc::unexpected_response));
  EXPECT_FALSE(c.connected());
}

TEST(ClientRead, TimeoutDropsTheConnectionAndLaterCallsFailFast) {
  RawPlc plc([](tcp::socket& s) {
    handshake(s);
    (void)read_tpkt(s);  // takes the Job and never answers
  });
  s7::Client c(plc.options(std::chrono::milliseconds(200)));
  ASSERT_TRUE(c.connect());
  std::vector<ItemSpec> items{db_bytes(1, 0, 4)};
  auto r = c.read(items);
  ASSERT_FALSE(r[0]);
  EXPECT_TRUE(r[0].error().is(Errc::request_timeout)) << r[0].error().what();
  EXPECT_NE(r[0].error().what().find("127.0.0.1:" + std::to_string(plc.port())), std::string::npos);
  EXPECT_FALSE(c.connected());
  auto again = c.read(items);
  ASSERT_FALSE(again[0]);
  EXPECT_TRUE(again[0].error().is(Errc::not_connected));
}

TEST(ClientRead, PipelinesUpToTheNegotiatedJobsAndMatchesAnswersByReference) {
  std::size_t jobs_before_answering = 0;
  RawPlc plc([&](tcp::socket& s) {
    handshake(s, 240, 3);
    // Three 222-byte items need three Jobs; all must arrive before any answer is sent.
    std::vector<Bytes> jobs;
    for (int i = 0; i < 3; ++i) jobs.push_back(read_tpkt(s));
    jobs_before_answering = jobs.size();
    // Answer in reverse order: the client must match by PDU reference.
    for (int i = 2; i >= 0; --i) {
      const auto& job = jobs[static_cast<std::size_t>(i)];
      const std::uint32_t addr = static_cast<std::uint32_t>(
          (job[7 + 10 + 2 + 9] << 16) | (job[7 + 10 + 2 + 10] << 8) | job[7 + 10 + 2 + 11]);
      Bytes data = hex("FF 04 06 F0");  // 222 bytes = 1776 bits
      for (std::uint32_t k = 0; k < 222; ++k) {
        data.push_back(static_cast<std::uint8_t>((addr / 8 + k) & 0xFF));
      }
      send(s, ack_data(job_ref(job), hex("04 01"), data));
    }
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  auto r = c.read_bytes(s7::Area::db, 1, 0, 666);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(jobs_before_answering, 3u);
  ASSERT_EQ(r->size(), 666u);
  for (std::size_t k = 0; k < 666; ++k) ASSERT_EQ((*r)[k], k & 0xFF) << k;
}

TEST(ClientRead, UnknownReferenceIsAProtocolError) {
  RawPlc plc([](tcp::socket& s) {
    handshake(s);
    Bytes job = read_tpkt(s);
    send(s, ack_data(static_cast<std::uint16_t>(job_ref(job) + 7), hex("04 01"),
                     hex("FF 04 00 10 00 19")));
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  std::vector<ItemSpec> items{db_bytes(1, 4, 2)};
  auto r = c.read(items);
  ASSERT_FALSE(r[0]);
  EXPECT_TRUE(r[0].error().is(Errc::unexpected_response));
  EXPECT_FALSE(c.connected());
}

TEST(ClientWrite, BitWriteSendsOneBitItemAndReportsPerItemResults) {
  Bytes job;
  RawPlc plc([&](tcp::socket& s) {
    handshake(s);
    job = read_tpkt(s);
    send(s, ack_data(job_ref(job), hex("05 02"), hex("FF 03")));
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  std::vector<ItemSpec> items{db_bit(1, 26, 1), db_bytes(1, 11, 1)};
  std::vector<Bytes> data{hex("01"), hex("2A")};
  auto r = c.write(items, data);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0]);
  ASSERT_FALSE(r[1]);
  EXPECT_TRUE(r[1].error().is(Errc::item_access_denied));
  EXPECT_NE(r[1].error().what().find("DB1.DBB11"), std::string::npos);
  // Param 05 02, two specs; data: BIT 00 03 00 01 01 + fill, BYTE 00 04 00 08 2A (no trailing
  // fill).
  Bytes expected =
      hex("03 00 00 36 02 F0 80 32 01 00 00 00 00 00 1A 00 0B 05 02 12 0A 10 01 00 01 00 01 84 00 "
          "00 D1 12 0A 10 02 00 01 00 01 84 00 00 58 00 03 00 01 01 00 00 04 00 08 2A");
  ASSERT_EQ(job.size(), expected.size());
  expected[11] = job[11];
  expected[12] = job[12];
  EXPECT_EQ(job, expected);
}

TEST(ClientWrite, DataOfTheWrongSizeIsRefusedBeforeSending) {
  RawPlc plc([](tcp::socket& s) { handshake(s); });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  std::vector<ItemSpec> items{db_bytes(1, 20, 2)};
  std::vector<Bytes> data{hex("01")};
  auto r = c.write(items, data);
  ASSERT_FALSE(r[0]);
  EXPECT_TRUE(r[0].error().is(Errc::invalid_argument));
  EXPECT_TRUE(c.connected());
}

// Userdata SZL answer fragment (12-byte parameter; §6.1).
Bytes szl_answer(std::uint16_t ref, std::uint8_t seq, std::uint8_t dur, bool last,
                 const Bytes& payload) {
  Bytes param{0x00, 0x01, 0x12, 0x08, 0x12,
              0x84, 0x01, seq,  dur,  static_cast<std::uint8_t>(last ? 0x00 : 0x01),
              0x00, 0x00};
  Bytes data{0xFF, 0x09, static_cast<std::uint8_t>(payload.size() >> 8),
             static_cast<std::uint8_t>(payload.size() & 0xFF)};
  data.insert(data.end(), payload.begin(), payload.end());
  return ack_data(ref, param, data, 0x07);
}

Bytes text_record(std::uint16_t index, const std::string& text) {
  Bytes r{static_cast<std::uint8_t>(index >> 8), static_cast<std::uint8_t>(index & 0xFF)};
  std::string padded = text;
  padded.resize(32, '\0');
  r.insert(r.end(), padded.begin(), padded.end());
  return r;
}

TEST(ClientSzl, ReassemblesFragmentedAnswersIntoCpuInfo) {
  Bytes follow_up;
  RawPlc plc([&](tcp::socket& s) {
    handshake(s);
    // 0x001C in two fragments.
    Bytes req = read_tpkt(s);
    Bytes records = hex("00 22 00 06");
    const char* texts[] = {"PLANT PLC",        "CPU 315-2 PN/DP", "", "Original Siemens Equipment",
                           "S C-X4U421302009", "CPU 315-2 PN/DP"};
    const std::uint16_t idx[] = {1, 2, 3, 4, 5, 7};
    for (int i = 0; i < 6; ++i) {
      auto r = text_record(idx[i], texts[i]);
      records.insert(records.end(), r.begin(), r.end());
    }
    Bytes first = hex("00 1C 00 00");
    first.insert(first.end(), records.begin(), records.begin() + 100);
    send(s, szl_answer(job_ref(req), 0x37, 0x05, false, first));
    follow_up = read_tpkt(s);
    send(s, szl_answer(job_ref(follow_up), 0x37, 0x05, true,
                       Bytes(records.begin() + 100, records.end())));
    // 0x0011 with the firmware record last.
    req = read_tpkt(s);
    Bytes ident = hex("00 11 00 00 00 1C 00 02");
    Bytes rec1 = hex("00 01");
    std::string mlfb = "6ES7 315-2EH14-0AB0 ";
    rec1.insert(rec1.end(), mlfb.begin(), mlfb.end());
    rec1.insert(rec1.end(), {0x00, 0xC0, 0x00, 0x04, 0x00, 0x01});
    Bytes rec7 = hex("00 07");
    rec7.insert(rec7.end(), 20, ' ');
    rec7.insert(rec7.end(), {0x00, 0xC0, 'V', 3, 2, 6});
    ident.insert(ident.end(), rec1.begin(), rec1.end());
    ident.insert(ident.end(), rec7.begin(), rec7.end());
    send(s, szl_answer(job_ref(req), 0x01, 0x00, true, ident));
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  auto info = c.cpu_info();
  ASSERT_TRUE(info) << info.error().what();
  EXPECT_EQ(info->as_name, "PLANT PLC");
  EXPECT_EQ(info->module_name, "CPU 315-2 PN/DP");
  EXPECT_EQ(info->copyright, "Original Siemens Equipment");
  EXPECT_EQ(info->serial_number, "S C-X4U421302009");
  EXPECT_EQ(info->module_type, "CPU 315-2 PN/DP");
  EXPECT_EQ(info->order_code, "6ES7 315-2EH14-0AB0");
  EXPECT_EQ(info->firmware, "V3.2.6");
  // Follow-up request: 12-byte parameter with the answer's sequence number, data 0A 00 00 00.
  ASSERT_GE(follow_up.size(), 7u + 10u + 12u + 4u);
  EXPECT_EQ(Bytes(follow_up.begin() + 17, follow_up.end()),
            hex("00 01 12 08 12 44 01 37 00 00 00 00 0A 00 00 00"));
}

TEST(ClientSzl, CpuStateReadsRunAndStopAndSurvivesAMissingSzl) {
  RawPlc plc([](tcp::socket& s) {
    handshake(s);
    Bytes req = read_tpkt(s);
    EXPECT_EQ(Bytes(req.begin() + 17, req.end()),
              hex("00 01 12 04 11 44 01 00 FF 09 00 04 04 24 00 00"));
    send(s, szl_answer(job_ref(req), 0, 0, true,
                       hex("04 24 00 00 00 14 00 01 51 44 FF 08 00 00 00 00 00 00 00 00 26 11 24 "
                           "01 00 02 00 02")));
    req = read_tpkt(s);
    send(s, szl_answer(job_ref(req), 0, 0, true,
                       hex("04 24 00 00 00 14 00 01 51 44 FF 04 00 00 00 00 00 00 00 00 26 11 24 "
                           "01 00 02 00 02")));
    // python-snap7 server: no 0x0424, return code 0x81.
    req = read_tpkt(s);
    Bytes param = hex("00 01 12 08 12 84 01 00 00 00 00 00");
    send(s, ack_data(job_ref(req), param, hex("81 00 00 00"), 0x07));
  });
  s7::Client c(plc.options());
  ASSERT_TRUE(c.connect());
  auto run = c.cpu_state();
  ASSERT_TRUE(run) << run.error().what();
  EXPECT_EQ(*run, s7::PlcRunState::run);
  auto stop = c.cpu_state();
  ASSERT_TRUE(stop);
  EXPECT_EQ(*stop, s7::PlcRunState::stop);
  auto missing = c.cpu_state();
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().is(Errc::szl_not_available));
  EXPECT_TRUE(c.connected());
}

// The real in-process server with the course's DB1 (fact sheet §10) and a 4 KiB DB2.
class ServerFixture : public ::testing::Test {
 protected:
  void start(std::uint16_t max_pdu = 960, std::uint16_t max_parallel = 8) {
    memory_.add_area({s7::Area::db, 1}, 64);
    memory_.add_area({s7::Area::db, 2}, 4096);
    memory_.add_read_only({s7::Area::db, 1}, 11, 1);
    const Bytes course = hex("00 00 00 2A 00 19 3F 9D 70 A4 01 07");
    ASSERT_TRUE(memory_.poke({s7::Area::db, 1}, 0, course));
    s7::ServerOptions o;
    o.port = 0;
    o.max_pdu = max_pdu;
    o.max_parallel = max_parallel;
    server_ = std::make_unique<s7::Server>(memory_, o);
    auto r = server_->start();
    ASSERT_TRUE(r) << r.error().what();
    s7::ClientOptions co;
    co.port = server_->port();
    co.on_note = [this](const std::string& note) { notes_.push_back(note); };
    client_ = std::make_unique<s7::Client>(co);
    auto c = client_->connect();
    ASSERT_TRUE(c) << c.error().what();
  }
  void TearDown() override {
    client_.reset();
    if (server_) server_->stop();
  }
  std::vector<s7::Address> parse(std::initializer_list<const char*> texts) {
    std::vector<s7::Address> out;
    for (const char* t : texts) {
      auto a = s7::parse_address(t);
      EXPECT_TRUE(a) << t;
      if (a) out.push_back(*a);
    }
    return out;
  }

  std::vector<s7::Value> values(const std::vector<s7::Address>& addrs,
                                std::initializer_list<const char*> texts) {
    std::vector<s7::Value> out;
    std::size_t i = 0;
    for (const char* t : texts) {
      auto v = s7::parse_value(addrs[i++], t);
      EXPECT_TRUE(v) << t;
      if (v) out.push_back(*v);
    }
    return out;
  }

  s7::MemoryStore memory_;
  std::unique_ptr<s7::Server> server_;
  std::unique_ptr<s7::Client> client_;
  std::vector<std::string> notes_;
};

TEST_F(ServerFixture, NegotiatesPdu960AndEightJobs) {
  start();
  EXPECT_EQ(client_->pdu_length(), 960);
  EXPECT_EQ(client_->max_parallel(), 8);
}

TEST_F(ServerFixture, ReadsTheCourseValuesInOneMultiItemRequest) {
  start();
  auto addrs = parse({"DB1.DBW4", "DB1.DBD6:REAL", "DB1.DBB11", "DB1.DBX10.0", "DB1.DBD0"});
  auto v = client_->read_values(addrs);
  ASSERT_EQ(v.size(), 5u);
  for (auto& x : v) ASSERT_TRUE(x) << x.error().what();
  EXPECT_EQ(s7::format_value(*v[0]), "25");
  EXPECT_EQ(s7::format_value(*v[1]), "1.23");
  EXPECT_EQ(s7::format_value(*v[2]), "7");
  EXPECT_EQ(s7::format_value(*v[3]), "true");
  EXPECT_EQ(s7::format_value(*v[4]), "42");
  EXPECT_EQ(server_->request_count(), 2u);  // setup + one Read Var
}

TEST_F(ServerFixture, LargeWriteAndReadRoundTripAcrossManyPipelinedRequests) {
  start(240, 4);
  Bytes data(4096);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7 + 3);
  std::vector<ItemSpec> items{db_bytes(2, 0, 4096)};
  std::vector<Bytes> payload{data};
  auto w = client_->write(items, payload);
  ASSERT_TRUE(w[0]) << w[0].error().what();
  Bytes stored(4096);
  ASSERT_TRUE(memory_.peek({s7::Area::db, 2}, 0, stored));
  EXPECT_EQ(stored, data);
  auto r = client_->read_bytes(s7::Area::db, 2, 0, 4096);
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(*r, data);
}

TEST_F(ServerFixture, HundredItemsGiveHundredResultsInOrder) {
  start(240, 2);
  std::vector<ItemSpec> items;
  for (std::uint32_t i = 0; i < 100; ++i) items.push_back(db_bytes(2, i * 3, 1));
  Bytes init(300);
  for (std::size_t i = 0; i < init.size(); ++i) init[i] = static_cast<std::uint8_t>(i);
  ASSERT_TRUE(memory_.poke({s7::Area::db, 2}, 0, init));
  auto r = client_->read(items);
  ASSERT_EQ(r.size(), 100u);
  for (std::uint32_t i = 0; i < 100; ++i) {
    ASSERT_TRUE(r[i]) << r[i].error().what();
    EXPECT_EQ((*r[i])[0], static_cast<std::uint8_t>(i * 3));
  }
}

// The client keeps the packing of the last item list; switching lists, reading one again and
// changed memory must all still give the current bytes, one request per call.
TEST_F(ServerFixture, ReadingListsInTurnGivesCurrentBytesEachTime) {
  start();
  const std::vector<ItemSpec> a{db_bytes(2, 0, 2), db_bytes(2, 10, 3), db_bytes(2, 20, 1)};
  const std::vector<ItemSpec> b{db_bytes(2, 5, 1), db_bytes(2, 15, 2)};
  auto expect = [&](const std::vector<ItemSpec>& items, const char* when) {
    const auto before = server_->request_count();
    auto r = client_->read(items);
    ASSERT_EQ(r.size(), items.size()) << when;
    for (std::size_t i = 0; i < items.size(); ++i) {
      ASSERT_TRUE(r[i]) << when << ": " << r[i].error().what();
      Bytes want(items[i].count);
      ASSERT_TRUE(memory_.peek({s7::Area::db, 2}, items[i].address / 8, want));
      EXPECT_EQ(*r[i], want) << when << ", item " << i;
    }
    EXPECT_EQ(server_->request_count(), before + 1) << when;
  };
  Bytes init(32);
  for (std::size_t i = 0; i < init.size(); ++i) init[i] = static_cast<std::uint8_t>(i + 1);
  ASSERT_TRUE(memory_.poke({s7::Area::db, 2}, 0, init));
  expect(a, "first read of a");
  expect(a, "a again");
  ASSERT_TRUE(memory_.poke({s7::Area::db, 2}, 10, hex("AA BB CC")));
  expect(a, "a after a change");
  expect(b, "b");
  expect(a, "a after b");
}

// An item that can never fit is refused on every call, also when the list is read again.
TEST_F(ServerFixture, ItemTooLargeForThePduIsRefusedOnEveryCall) {
  start(240, 2);
  ItemSpec counters;  // C0..C199: 400 bytes, counters are never split
  counters.transport = 0x1C;
  counters.area = 0x1C;
  counters.count = 200;
  const std::vector<ItemSpec> items{db_bytes(1, 4, 2), counters};
  for (int round = 0; round < 3; ++round) {
    auto r = client_->read(items);
    ASSERT_EQ(r.size(), 2u);
    ASSERT_TRUE(r[0]) << "round " << round << ": " << r[0].error().what();
    EXPECT_EQ(*r[0], hex("00 19")) << "round " << round;
    ASSERT_FALSE(r[1]) << "round " << round;
    EXPECT_EQ(r[1].error().code, s7::Errc::pdu_too_large) << "round " << round;
  }
}

TEST_F(ServerFixture, TypedWritesRoundTripAndBitWritesKeepNeighbours) {
  start();
  ASSERT_TRUE(memory_.poke({s7::Area::db, 1}, 26, hex("F0")));
  auto addrs = parse({"DB1.DBW20:INT", "DB1.DBD22:REAL", "DB1.DBX26.1:BOOL", "DB1.DBX26.5"});
  std::vector<s7::Value> values;
  for (const auto& [a, text] : std::vector<std::pair<s7::Address, const char*>>{
           {addrs[0], "123"}, {addrs[1], "3.5"}, {addrs[2], "true"}, {addrs[3], "false"}}) {
    auto v = s7::parse_value(a, text);
    ASSERT_TRUE(v) << text;
    values.push_back(*v);
  }
  auto w = client_->write_values(addrs, values);
  for (auto& x : w) ASSERT_TRUE(x) << x.error().what();
  Bytes b(8);
  ASSERT_TRUE(memory_.peek({s7::Area::db, 1}, 20, b));
  EXPECT_EQ(b, hex("00 7B 40 60 00 00 D2 00"));  // 123, 3.5, 0xF0 | bit1 & ~bit5
  auto r = client_->read_values(addrs);
  ASSERT_TRUE(r[0] && r[1] && r[2] && r[3]);
  EXPECT_EQ(s7::format_value(*r[0]), "123");
  EXPECT_EQ(s7::format_value(*r[1]), "3.5");
  EXPECT_EQ(s7::format_value(*r[2]), "true");
  EXPECT_EQ(s7::format_value(*r[3]), "false");
}

TEST_F(ServerFixture, AServerConfirmingOnlyTheFirstItemGetsTheOthersOneByOne) {
  start();
  server_->control().first_item_writes.store(true);  // like the python-snap7 server
  // The first item is refused (read-only byte 11): it must not be repeated; the other three
  // are not confirmed by the first answer and are written again, one per request.
  auto addrs = parse({"DB1.DBB11", "DB1.DBW20:INT", "DB1.DBD22:REAL", "DB1.DBX26.1"});
  auto w = client_->write_values(addrs, values(addrs, {"5", "123", "3.5", "true"}));
  ASSERT_EQ(w.size(), 4u);
  ASSERT_FALSE(w[0]);
  EXPECT_NE(w[0].error().what().find("DB1.DBB11"), std::string::npos) << w[0].error().what();
  for (std::size_t i = 1; i < 4; ++i) EXPECT_TRUE(w[i]) << w[i].error().what();
  Bytes b(7);
  ASSERT_TRUE(memory_.peek({s7::Area::db, 1}, 20, b));
  EXPECT_EQ(b, hex("00 7B 40 60 00 00 02"));
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_NE(notes_[0].find("confirms only one item per write request"), std::string::npos);
  // The next multi-item write goes one item per request at once, without another note.
  auto more = parse({"DB1.DBW20:INT", "DB1.DBB27"});
  auto w2 = client_->write_values(more, values(more, {"-7", "9"}));
  EXPECT_TRUE(w2[0] && w2[1]);
  Bytes c(8);
  ASSERT_TRUE(memory_.peek({s7::Area::db, 1}, 20, c));
  EXPECT_EQ(c[0], 0xFF);
  EXPECT_EQ(c[1], 0xF9);
  EXPECT_EQ(c[7], 9);
  EXPECT_EQ(notes_.size(), 1u);
}

TEST_F(ServerFixture, ItemErrorsArePerItemAndNameTheAddress) {
  start();
  auto addrs = parse({"DB1.DBW4", "DB3.DBW0", "DB1.DBW100"});
  auto r = client_->read_values(addrs);
  ASSERT_TRUE(r[0]);
  EXPECT_EQ(s7::format_value(*r[0]), "25");
  ASSERT_FALSE(r[1]);
  EXPECT_TRUE(r[1].error().is(Errc::item_not_found));
  EXPECT_EQ(r[1].error().what(), "DB3.DBW0: DB3 does not exist on the PLC (item error 0x0A)");
  ASSERT_FALSE(r[2]);
  EXPECT_TRUE(r[2].error().is(Errc::item_out_of_range));
  auto ro = parse({"DB1.DBB11"});
  std::vector<s7::Value> seven{s7::Value(s7::Scalar(std::uint64_t{9}))};
  auto w = client_->write_values(ro, seven);
  ASSERT_FALSE(w[0]);
  EXPECT_TRUE(w[0].error().is(Errc::item_access_denied));
  EXPECT_NE(w[0].error().what().find("DB1.DBB11: access denied"), std::string::npos);
  EXPECT_TRUE(client_->connected());
}

TEST_F(ServerFixture, PeripheryIsReadFromInputsAndWrittenToOutputsOneWayOnly) {
  memory_.add_area({s7::Area::inputs, 0}, 16);
  memory_.add_area({s7::Area::outputs, 0}, 16);
  start();
  ASSERT_TRUE(memory_.poke({s7::Area::inputs, 0}, 4, hex("01 F4")));
  auto in = parse({"PIW4", "PQW4"});
  const auto before = server_->request_count();
  auto r = client_->read_values(in);
  ASSERT_TRUE(r[0]) << r[0].error().what();
  EXPECT_EQ(s7::format_value(*r[0]), "500");
  ASSERT_FALSE(r[1]);  // refused here, never sent
  EXPECT_TRUE(r[1].error().is(Errc::invalid_argument));
  EXPECT_EQ(server_->request_count(), before + 1);
  auto out = parse({"PQW6", "PIW6"});
  std::vector<s7::Value> values{*s7::parse_value(out[0], "-2"), *s7::parse_value(out[1], "3")};
  auto w = client_->write_values(out, values);
  ASSERT_TRUE(w[0]) << w[0].error().what();
  ASSERT_FALSE(w[1]);
  EXPECT_NE(w[1].error().what().find("PIW6: peripheral inputs can only be read"),
            std::string::npos);
  Bytes q(2), i(2);
  ASSERT_TRUE(memory_.peek({s7::Area::outputs, 0}, 6, q));
  ASSERT_TRUE(memory_.peek({s7::Area::inputs, 0}, 6, i));
  EXPECT_EQ(q, hex("FF FE"));
  EXPECT_EQ(i, hex("00 00"));
}

TEST_F(ServerFixture, CpuIdentityAndStateComeFromSzl) {
  start();
  auto info = client_->cpu_info();
  ASSERT_TRUE(info) << info.error().what();
  const s7::CpuIdentity id;
  EXPECT_EQ(info->order_code, id.order_code);
  EXPECT_EQ(info->module_name, id.module_name);
  EXPECT_EQ(info->as_name, id.as_name);
  EXPECT_EQ(info->firmware, "V3.2.6");
  auto state = client_->cpu_state();
  ASSERT_TRUE(state) << state.error().what();
  EXPECT_EQ(*state, s7::PlcRunState::run);
  server_->control().cpu_state = s7::CpuState::stop;
  state = client_->cpu_state();
  ASSERT_TRUE(state);
  EXPECT_EQ(*state, s7::PlcRunState::stop);
}

}  // namespace
