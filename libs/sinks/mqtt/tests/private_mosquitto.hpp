// Test fixture: a private mosquitto broker on a free loopback port, in a temporary folder.
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

namespace sinks::mqtt::testing {

inline constexpr const char* kMosquitto = "/usr/sbin/mosquitto";

struct BrokerOptions {
  // Non-empty: allow_anonymous false and a password_file (made with mosquitto_passwd) with this
  // one user.
  std::string user, password;
  std::string extra;  // more mosquitto.conf lines, e.g. "clientid_prefixes allowed-\n"
};

// Contract:
// - available(): the broker binary is installed (tests GTEST_SKIP otherwise).
// - The constructor writes mosquitto.conf (listener on 127.0.0.1:<port>, port found by binding
//   port 0; persistence in the folder; `user root` when running as root so it keeps our user)
//   and starts the broker; ok() says whether it accepts connections (error() why not).
// - stop() ends it (SIGTERM, SIGKILL after 5 s) and waits; start() runs it again on the same
//   port and folder (for outage tests). The destructor stops it and removes the folder.
class PrivateMosquitto {
 public:
  static bool available() { return ::access(kMosquitto, X_OK) == 0; }

  explicit PrivateMosquitto(BrokerOptions options = {}) : options_(std::move(options)) {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    do {
      dir_ = std::filesystem::temp_directory_path() /
             ("s7log_mosquitto_" + std::to_string(rd()) + "_" + std::to_string(++counter));
    } while (!std::filesystem::create_directory(dir_));
    port_ = free_port();
    std::ofstream conf(dir_ / "mosquitto.conf");
    conf << "listener " << port_ << " 127.0.0.1\n"
         << "persistence true\n"
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
  std::string url() const { return "mqtt://127.0.0.1:" + std::to_string(port_); }
  std::string where() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& dir() const { return dir_; }
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
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::string error_;
};

}  // namespace sinks::mqtt::testing
