// Runs a program under the seccomp rules of systemd's MemoryDenyWriteExecute=yes (set in
// s7log@.service): mmap() of memory both writable and executable, mprotect()/pkey_mprotect()
// adding PROT_EXEC and shmat() with SHM_EXEC fail with EPERM. Lets a test check that s7log still
// loads its live module (dlopen) under that setting without systemd running.
//   mdwe_exec --selftest        exit 0 when the rules refuse W+X memory (and allow R+X)
//   mdwe_exec PROGRAM ARGS...   exec PROGRAM under the rules
// Exit 77: seccomp filters are not available here (or not on this architecture).
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace {

constexpr int kUnavailable = 77;

#if defined(__x86_64__)
constexpr std::uint32_t kNativeArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kNativeArch = AUDIT_ARCH_AARCH64;
#else
constexpr std::uint32_t kNativeArch = 0;
#endif

#ifndef __NR_pkey_mprotect
#define __NR_pkey_mprotect __NR_mprotect
#endif

constexpr std::uint32_t kArgProt = offsetof(seccomp_data, args) + 2 * sizeof(std::uint64_t);
constexpr std::uint32_t kWriteExec = PROT_WRITE | PROT_EXEC;

// Returns false when the kernel refuses to install the filter.
bool install_filter() {
  // Jump offsets count from the next instruction (see the numbers on the right).
  sock_filter prog[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),  // 0
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kNativeArch, 1, 0),            // 1: -> 3
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),                      // 2
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),    // 3
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 4, 0),              // 4: -> 9
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 6, 0),          // 5: -> 12
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_pkey_mprotect, 5, 0),     // 6: -> 12
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_shmat, 7, 0),             // 7: -> 15
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),                      // 8
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArgProt),                      // 9: mmap prot
      BPF_STMT(BPF_ALU | BPF_AND | BPF_K, kWriteExec),                   // 10
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kWriteExec, 6, 7),             // 11: -> 18 / 19
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArgProt),                      // 12: mprotect prot
      BPF_STMT(BPF_ALU | BPF_AND | BPF_K, PROT_EXEC),                    // 13
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_EXEC, 3, 4),              // 14: -> 18 / 19
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArgProt),                      // 15: shmat flags
      BPF_STMT(BPF_ALU | BPF_AND | BPF_K, SHM_EXEC),                     // 16
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SHM_EXEC, 0, 1),               // 17: -> 18 / 19
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),              // 18
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),                      // 19
  };
  sock_fprog fprog{static_cast<unsigned short>(sizeof prog / sizeof prog[0]), prog};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) != 0) return false;
  return ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0UL, 0UL) == 0;
}

bool refused(void* mapping) {
  return mapping == MAP_FAILED && errno == EPERM;
}

int selftest() {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;
  bool ok = true;
  errno = 0;
  if (!refused(::mmap(nullptr, page, PROT_READ | PROT_WRITE | PROT_EXEC, kAnon, -1, 0))) {
    std::fprintf(stderr, "mdwe_exec: mmap(PROT_WRITE|PROT_EXEC) was not refused\n");
    ok = false;
  }
  void* rw = ::mmap(nullptr, page, PROT_READ | PROT_WRITE, kAnon, -1, 0);
  errno = 0;
  if (rw == MAP_FAILED || ::mprotect(rw, page, PROT_READ | PROT_EXEC) == 0 || errno != EPERM) {
    std::fprintf(stderr, "mdwe_exec: mprotect(PROT_EXEC) was not refused\n");
    ok = false;
  }
  if (::mmap(nullptr, page, PROT_READ | PROT_EXEC, kAnon, -1, 0) == MAP_FAILED) {
    std::fprintf(stderr, "mdwe_exec: mmap(PROT_READ|PROT_EXEC) was refused: %s\n",
                 std::strerror(errno));
    ok = false;
  }
  if (ok) std::puts("mdwe_exec: W+X mappings and mprotect(PROT_EXEC) are refused");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: mdwe_exec --selftest | PROGRAM [ARGS...]\n");
    return 2;
  }
  if (kNativeArch == 0 || !install_filter()) {
    std::fprintf(stderr, "mdwe_exec: cannot install a seccomp filter here: %s\n",
                 std::strerror(errno));
    return kUnavailable;
  }
  if (std::strcmp(argv[1], "--selftest") == 0) return selftest();
  ::execv(argv[1], argv + 1);
  std::fprintf(stderr, "mdwe_exec: cannot run %s: %s\n", argv[1], std::strerror(errno));
  return 127;
}
