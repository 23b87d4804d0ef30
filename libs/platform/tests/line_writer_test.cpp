// LineWriter: order, whole lines from many threads, a blocked reader never blocks the writer's
// callers, drops are counted, close() gives up on a reader that never reads.
#include "platform/line_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#else
#include <signal.h>
#include <unistd.h>
#endif

using namespace std::chrono_literals;

namespace {

// The C runtime's pipe calls (POSIX, or the MinGW CRT's _pipe/_read/_close over a Windows pipe).
#ifdef _WIN32
int make_pipe(int fds[2]) {
  return ::_pipe(fds, 64 * 1024, _O_BINARY);
}
int close_fd(int fd) {
  return ::_close(fd);
}
long read_fd(int fd, char* buf, unsigned n) {
  return ::_read(fd, buf, n);
}
#else
int make_pipe(int fds[2]) {
  return ::pipe(fds);
}
int close_fd(int fd) {
  return ::close(fd);
}
long read_fd(int fd, char* buf, unsigned n) {
  return static_cast<long>(::read(fd, buf, n));
}
#endif

struct Pipe {
  int r = -1, w = -1;
  Pipe() {
    int fds[2];
    EXPECT_EQ(make_pipe(fds), 0);
    r = fds[0];
    w = fds[1];
  }
  ~Pipe() {
    if (r >= 0) close_fd(r);
    if (w >= 0) close_fd(w);
  }
  std::string read_all() {  // after the write end is closed
    std::string out;
    char buf[4096];
    long n;
    while ((n = read_fd(r, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
  }
};

TEST(LineWriter, WritesTheLinesInOrder) {
  Pipe p;
  std::string out;
  std::thread reader([&] {
    char buf[4096];
    long n;
    while ((n = read_fd(p.r, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  });
  {
    platform::LineWriter lw(p.w);
    for (int i = 0; i < 1000; ++i) EXPECT_TRUE(lw.write("line " + std::to_string(i) + "\n"));
    EXPECT_TRUE(lw.flush(10s));
    lw.close();
    EXPECT_EQ(lw.dropped_lines(), 0u);
  }
  close_fd(p.w);
  p.w = -1;
  reader.join();
  std::string expected;
  for (int i = 0; i < 1000; ++i) expected += "line " + std::to_string(i) + "\n";
  EXPECT_EQ(out, expected);
}

TEST(LineWriter, LinesFromManyThreadsStayWholeEvenWhenLongerThanAPipeWrite) {
  Pipe p;
  std::string out;
  std::thread reader([&] {
    char buf[512];  // small reads: the writer sees many short pipe writes
    long n;
    while ((n = read_fd(p.r, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  });
  {
    platform::LineWriter lw(p.w, 64 << 20);
    std::vector<std::thread> threads;
    for (char c : {'a', 'b', 'c', 'd'})
      threads.emplace_back([&lw, c] {
        for (int i = 0; i < 50; ++i) lw.write(std::string(6000, c) + "\n");
      });
    for (auto& t : threads) t.join();
    lw.close(10s);
    EXPECT_EQ(lw.dropped_lines(), 0u);
  }
  close_fd(p.w);
  p.w = -1;
  reader.join();
  std::size_t lines = 0, start = 0;
  for (std::size_t nl = out.find('\n'); nl != std::string::npos; nl = out.find('\n', start)) {
    const std::string line = out.substr(start, nl - start);
    ASSERT_EQ(line.size(), 6000u);
    EXPECT_EQ(line.find_first_not_of(line[0]), std::string::npos) << "interleaved at " << start;
    ++lines;
    start = nl + 1;
  }
  EXPECT_EQ(lines, 200u);
}

TEST(LineWriter, ABlockedReaderNeverBlocksTheCallerAndDropsAreCounted) {
  Pipe p;  // nobody reads: the pipe fills up (64 KiB) and the writer thread waits
  platform::LineWriter lw(p.w, 16 * 1024);
  const std::string line(1000, 'x');
  std::size_t accepted = 0;
  for (int i = 0; i < 500; ++i) accepted += lw.write(line + "\n") ? 1 : 0;  // 500 KB: returns
  EXPECT_LT(accepted, 500u);
  EXPECT_GE(lw.dropped_lines(), 500u - accepted);
  lw.close(50ms);  // gives up on the reader instead of waiting for it
  // Every line is either in the pipe or counted as dropped.
  close_fd(p.w);
  p.w = -1;
  const std::string got = p.read_all();
  ASSERT_EQ(got.size() % 1001, 0u);  // whole lines only
  const std::uint64_t in_pipe = got.size() / 1001;
  EXPECT_EQ(in_pipe + lw.dropped_lines(), 500u);
}

TEST(LineWriter, AClosedReaderDropsTheRestAndSaysSo) {
#ifndef _WIN32
  ::signal(SIGPIPE, SIG_IGN);  // as a process would that wants EPIPE instead of dying
#endif
  Pipe p;
  close_fd(p.r);
  p.r = -1;
  platform::LineWriter lw(p.w);
  lw.write("one\n");
  lw.flush(10s);
  EXPECT_EQ(lw.dropped_lines(), 1u);
  EXPECT_FALSE(lw.write("two\n"));  // broken: dropped at once
  EXPECT_EQ(lw.dropped_lines(), 2u);
#ifndef _WIN32
  ::signal(SIGPIPE, SIG_DFL);
#endif
}

}  // namespace
