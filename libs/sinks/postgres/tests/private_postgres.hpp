// A private PostgreSQL server for tests: own data folder, own loopback port, stopped and removed.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace sinks::postgres::testing {

// Contract:
// - The constructor finds initdb, pg_ctl and postgres (S7LOG_PG_BINDIR, else the newest
//   /usr/lib/postgresql/*/bin, else PATH). Without them available() is false and skip_reason()
//   says why; nothing else happens.
// - start() (also called by the constructor) makes a fresh cluster once (initdb, superuser
//   "s7log" with trust; user "s7log_pw" needs its password over TCP: scram-sha-256), then starts
//   it on 127.0.0.1:port() with fsync off, its socket in the temporary folder. As root the server
//   runs as the "postgres" user (runuser), which owns the folder. Returns false with error().
// - stop() stops it (pg_ctl stop -m fast); start() starts it again on the same port and data.
// - The destructor stops the server and removes the folder.
// - query()/exec() run SQL as the superuser over libpq and throw std::runtime_error on errors.
class PrivatePostgres {
 public:
  using Row = std::vector<std::optional<std::string>>;
  static constexpr const char* kPasswordUser = "s7log_pw";

  PrivatePostgres() {
    bindir_ = find_bindir();
    if (bindir_.empty()) {
      skip_reason_ =
          "no PostgreSQL server binaries (initdb, pg_ctl, postgres): apt-get install "
          "postgresql, or set S7LOG_PG_BINDIR";
      return;
    }
    char tmpl[] = "/tmp/s7log_pg_XXXXXX";
    if (!mkdtemp(tmpl)) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      if (!pw) {
        error_ = "running as root, but there is no 'postgres' user to run the server as";
        return;
      }
      as_postgres_ = true;
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        error_ = "cannot chown " + dir_;
        return;
      }
    }
    port_ = free_port();
    start();
  }

  ~PrivatePostgres() {
    stop();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  PrivatePostgres(const PrivatePostgres&) = delete;
  PrivatePostgres& operator=(const PrivatePostgres&) = delete;

  bool available() const { return !bindir_.empty(); }
  const std::string& skip_reason() const { return skip_reason_; }
  bool running() const { return running_; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }

  // postgresql://USER@127.0.0.1:PORT/DB (a password only when given).
  std::string url(const std::string& db = "postgres", const std::string& user = "s7log",
                  const std::string& password = "") const {
    return "postgresql://" + user + (password.empty() ? "" : ":" + password) +
           "@127.0.0.1:" + std::to_string(port_) + "/" + db;
  }

  bool start() {
    if (running_ || !error_.empty() || dir_.empty()) return running_;
    const std::string data = dir_ + "/data";
    if (!initialized_) {
      if (!run({bindir_ + "/initdb", "-D", data, "-U", "s7log", "-A", "trust", "-E", "UTF8",
                "--locale=C", "-N"})) {
        error_ = "initdb failed: " + log_tail();
        return false;
      }
      std::ofstream hba(data + "/pg_hba.conf", std::ios::trunc);
      hba << "local all all trust\n"
          << "host all " << kPasswordUser << " 127.0.0.1/32 scram-sha-256\n"
          << "host all all 127.0.0.1/32 trust\n";
      initialized_ = true;
    }
    const std::string opts = "-p " + std::to_string(port_) + " -k " + dir_ +
                             " -c listen_addresses=127.0.0.1 -c fsync=off -c "
                             "full_page_writes=off -c max_connections=30";
    if (!run({bindir_ + "/pg_ctl", "-D", data, "-l", dir_ + "/server.log", "-w", "-t", "60", "-o",
              opts, "start"})) {
      error_ = "pg_ctl start failed: " + log_tail();
      return false;
    }
    running_ = true;
    return true;
  }

  bool stop() {
    if (!running_) return true;
    running_ = false;
    return run({bindir_ + "/pg_ctl", "-D", dir_ + "/data", "-w", "-t", "60", "-m", "fast", "stop"});
  }

  std::vector<Row> query(const std::string& sql, const std::string& db = "postgres") const {
    PGconn* c = PQconnectdb(url(db).c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      std::string m = PQerrorMessage(c);
      PQfinish(c);
      throw std::runtime_error("connect: " + m);
    }
    PGresult* r = PQexec(c, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      std::string m = PQresultErrorMessage(r);
      PQclear(r);
      PQfinish(c);
      throw std::runtime_error(sql + ": " + m);
    }
    std::vector<Row> rows;
    for (int i = 0; i < PQntuples(r); ++i) {
      Row row;
      for (int j = 0; j < PQnfields(r); ++j)
        row.push_back(PQgetisnull(r, i, j) ? std::nullopt
                                           : std::optional<std::string>(PQgetvalue(r, i, j)));
      rows.push_back(std::move(row));
    }
    PQclear(r);
    PQfinish(c);
    return rows;
  }

  void exec(const std::string& sql, const std::string& db = "postgres") const { query(sql, db); }

 private:
  static std::string find_bindir() {
    auto has_all = [](const std::filesystem::path& d) {
      return std::filesystem::exists(d / "initdb") && std::filesystem::exists(d / "pg_ctl") &&
             std::filesystem::exists(d / "postgres");
    };
    if (const char* env = std::getenv("S7LOG_PG_BINDIR"))
      return has_all(env) ? std::string(env) : std::string();
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
      if (has_all(e.path() / "bin")) found.push_back(e.path() / "bin");
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return std::atoi(a.parent_path().filename().c_str()) >
             std::atoi(b.parent_path().filename().c_str());
    });
    if (!found.empty()) return found.front().string();
    if (const char* path = std::getenv("PATH")) {
      std::stringstream ss(path);
      for (std::string d; std::getline(ss, d, ':');)
        if (!d.empty() && has_all(d)) return d;
    }
    return {};
  }

  static int free_port() {
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = 0;
    if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port = ntohs(a.sin_port);
    close(s);
    return port;
  }

  // Runs argv (as postgres when root) with its output appended to dir_/commands.log.
  bool run(std::vector<std::string> argv) const {
    if (as_postgres_) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    const std::string log = dir_ + "/commands.log";
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return false;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  std::string log_tail() const {
    std::string text;
    for (const char* f : {"/commands.log", "/server.log"}) {
      std::ifstream in(dir_ + f);
      std::stringstream ss;
      ss << in.rdbuf();
      text += ss.str();
    }
    return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
  }

  std::string bindir_;
  std::string skip_reason_;
  std::string error_;
  std::string dir_;
  int port_ = 0;
  bool as_postgres_ = false;
  bool initialized_ = false;
  bool running_ = false;
};

}  // namespace sinks::postgres::testing
