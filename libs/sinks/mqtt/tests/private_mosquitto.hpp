// Test fixture: a private mosquitto broker on a free loopback port, in a temporary folder; plain
// MQTT or TLS with certificates made at start by the openssl command-line tool.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

namespace sinks::mqtt::testing {

inline constexpr const char* kMosquitto = "/usr/sbin/mosquitto";

// The listener: plain MQTT, TLS, or TLS that requires a client certificate signed by the CA.
enum class Tls { off, server, require_client_cert };

// Files of a test PKI (PEM, EC P-256 keys, valid for 2 days): a CA, a server certificate for
// 127.0.0.1 and localhost (CN and subjectAltName) and a client certificate (CN s7log-client),
// both signed by the CA, and another self-signed CA that signed nothing of these.
struct TestPki {
  std::filesystem::path ca_cert, ca_key, server_cert, server_key, client_cert, client_key,
      other_ca_cert, other_ca_key;
};

struct BrokerOptions {
  // Non-empty: allow_anonymous false and a password_file (made with mosquitto_passwd) with this
  // one user.
  std::string user, password;
  std::string extra;  // more mosquitto.conf lines, e.g. "clientid_prefixes allowed-\n"
};

// Whether the openssl command-line tool runs (TLS tests GTEST_SKIP otherwise).
inline bool openssl_available() {
  return std::system("openssl version >/dev/null 2>&1") == 0;
}

// Makes a TestPki in `dir` (which exists) with the openssl tool; empty on success, else what
// failed (openssl's output is in dir/openssl.log).
inline std::string make_test_pki(const std::filesystem::path& dir, TestPki& pki) {
  pki.ca_cert = dir / "ca.crt";
  pki.ca_key = dir / "ca.key";
  pki.server_cert = dir / "server.crt";
  pki.server_key = dir / "server.key";
  pki.client_cert = dir / "client.crt";
  pki.client_key = dir / "client.key";
  pki.other_ca_cert = dir / "other-ca.crt";
  pki.other_ca_key = dir / "other-ca.key";
  const auto cnf = dir / "openssl.cnf";
  {
    std::ofstream out(cnf);
    out << "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = s7log-test\n"
        << "[ca_ext]\nbasicConstraints = critical,CA:TRUE\n"
        << "keyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n"
        << "[server_ext]\nbasicConstraints = CA:FALSE\n"
        << "keyUsage = critical,digitalSignature,keyEncipherment\n"
        << "extendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1,DNS:localhost\n"
        << "[client_ext]\nbasicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\n"
        << "extendedKeyUsage = clientAuth\n";
  }
  const auto q = [](const std::filesystem::path& p) { return "'" + p.string() + "'"; };
  const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  const std::string log = " >>" + q(dir / "openssl.log") + " 2>&1";
  const auto self_signed = [&](const std::filesystem::path& crt, const std::filesystem::path& k,
                               const std::string& cn) {
    return "openssl req -config " + q(cnf) + " -x509 -extensions ca_ext -days 2" + key +
           " -keyout " + q(k) + " -out " + q(crt) + " -subj '/CN=" + cn + "'" + log;
  };
  const auto signed_by_ca = [&](const std::filesystem::path& crt, const std::filesystem::path& k,
                                const std::string& cn, const std::string& ext,
                                const std::string& serial) {
    const auto csr = std::filesystem::path(crt).replace_extension(".csr");
    return "openssl req -config " + q(cnf) + " -new" + key + " -keyout " + q(k) + " -out " +
           q(csr) + " -subj '/CN=" + cn + "'" + log + " && openssl x509 -req -in " + q(csr) +
           " -CA " + q(pki.ca_cert) + " -CAkey " + q(pki.ca_key) + " -set_serial " + serial +
           " -days 2 -extfile " + q(cnf) + " -extensions " + ext + " -out " + q(crt) + log;
  };
  const std::pair<const char*, std::string> steps[] = {
      {"CA", self_signed(pki.ca_cert, pki.ca_key, "s7log test CA")},
      {"server certificate",
       signed_by_ca(pki.server_cert, pki.server_key, "127.0.0.1", "server_ext", "2")},
      {"client certificate",
       signed_by_ca(pki.client_cert, pki.client_key, "s7log-client", "client_ext", "3")},
      {"other CA", self_signed(pki.other_ca_cert, pki.other_ca_key, "s7log other CA")},
  };
  for (const auto& [what, cmd] : steps)
    if (std::system(cmd.c_str()) != 0)
      return std::string("openssl failed to make the ") + what + " in " + dir.string();
  return {};
}

// Contract:
// - available(): the broker binary is installed (tests GTEST_SKIP otherwise).
// - The constructor writes mosquitto.conf (listener on 127.0.0.1:<port>, port found by binding
//   port 0; persistence in the folder; `user root` when running as root so it keeps our user)
//   and starts the broker; ok() says whether it accepts connections (error() why not).
// - Tls::server / Tls::require_client_cert: first make_test_pki() in the folder (pki() gives the
//   files); the listener has cafile/certfile/keyfile (+ require_certificate true) and url() is
//   mqtts://127.0.0.1:<port>. The TLS variants need openssl_available().
// - stop() ends it (SIGTERM, SIGKILL after 5 s) and waits; start() runs it again on the same
//   port and folder (for outage tests). The destructor stops it and removes the folder.
class PrivateMosquitto {
 public:
  static bool available() { return ::access(kMosquitto, X_OK) == 0; }

  explicit PrivateMosquitto(BrokerOptions options = {}, Tls tls = Tls::off)
      : options_(std::move(options)), tls_(tls) {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    do {
      dir_ = std::filesystem::temp_directory_path() /
             ("s7log_mosquitto_" + std::to_string(rd()) + "_" + std::to_string(++counter));
    } while (!std::filesystem::create_directory(dir_));
    port_ = free_port();
    if (tls_ != Tls::off) error_ = make_test_pki(dir_, pki_);
    std::ofstream conf(dir_ / "mosquitto.conf");
    conf << "listener " << port_ << " 127.0.0.1\n";
    if (tls_ != Tls::off) {
      conf << "cafile " << pki_.ca_cert.string() << "\n"
           << "certfile " << pki_.server_cert.string() << "\n"
           << "keyfile " << pki_.server_key.string() << "\n";
      if (tls_ == Tls::require_client_cert) conf << "require_certificate true\n";
    }
    conf << "persistence true\n"
         << "persistence_location " << dir_.string() << "/\n"
         << "log_dest file " << (dir_ / "mosquitto.log").string() << "\n"
         << "log_type all\n";
    if (::geteuid() == 0) conf << "user root\n";
    if (options_.user.empty()) {
      conf << "allow_anonymous true\n";
    } else {
      const auto pw = (dir_ / "passwd").string();
      const std::string cmd = "mosquitto_passwd -b -c '" + pw + "' '" + options_.user + "' '" +
                              options_.password + "' >/dev/null 2>&1";
      if (std::system(cmd.c_str()) != 0) error_ = "mosquitto_passwd failed";
      conf << "allow_anonymous false\npassword_file " << pw << "\n";
    }
    conf << options_.extra;
    conf.close();
    if (error_.empty()) start();
  }

  ~PrivateMosquitto() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  PrivateMosquitto(const PrivateMosquitto&) = delete;
  PrivateMosquitto& operator=(const PrivateMosquitto&) = delete;

  int port() const { return port_; }
  std::string url() const {
    return (tls_ == Tls::off ? "mqtt://127.0.0.1:" : "mqtts://127.0.0.1:") + std::to_string(port_);
  }
  std::string where() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& dir() const { return dir_; }
  const TestPki& pki() const { return pki_; }  // TLS variants only
  bool ok() const { return pid_ > 0 && error_.empty(); }
  const std::string& error() const { return error_; }
  std::string log() const {
    std::ifstream in(dir_ / "mosquitto.log");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Starts the broker and waits (up to 10 s) until its port accepts connections.
  bool start() {
    if (pid_ > 0) return true;
    error_.clear();
    const std::string conf = (dir_ / "mosquitto.conf").string();
    const std::string out = (dir_ / "stderr.txt").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::execl(kMosquitto, kMosquitto, "-c", conf.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    if (pid_ < 0) {
      error_ = "fork failed";
      return false;
    }
    for (int i = 0; i < 1000; ++i) {
      if (accepts()) return true;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        error_ = "mosquitto exited at start; its log:\n" + log();
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    error_ = "mosquitto did not listen on port " + std::to_string(port_);
    return false;
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 500; ++i) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  static int free_port() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port = ntohs(a.sin_port);
    ::close(s);
    return port;
  }

  bool accepts() const {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port_));
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
  }

  BrokerOptions options_;
  Tls tls_ = Tls::off;
  TestPki pki_;
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::string error_;
};

}  // namespace sinks::mqtt::testing
