// platform/service.hpp on Windows: StartServiceCtrlDispatcherW, a control handler that turns
// Stop/Shutdown into the console stop event, and the service status the SCM shows.
#include "platform/service.hpp"

#include <windows.h>

#include <io.h>
#include <cstdio>

#include "platform/console.hpp"
#include "wide.hpp"

namespace platform {

namespace {

// One service per process: the dispatcher calls service_main on its own thread.
std::wstring g_name;
std::string g_log_file;
const std::function<int()>* g_body = nullptr;
SERVICE_STATUS_HANDLE g_status_handle = nullptr;
SERVICE_STATUS g_status{};
int g_exit_code = 0;
bool g_ran = false;

void report(DWORD state, DWORD wait_hint = 0) {
  g_status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  g_status.dwCurrentState = state;
  g_status.dwControlsAccepted =
      state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
  g_status.dwWaitHint = wait_hint;
  if (state == SERVICE_STOPPED && g_exit_code != 0) {
    g_status.dwWin32ExitCode = ERROR_SERVICE_SPECIFIC_ERROR;
    g_status.dwServiceSpecificExitCode = static_cast<DWORD>(g_exit_code);
  }
  if (state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING) ++g_status.dwCheckPoint;
  ::SetServiceStatus(g_status_handle, &g_status);
}

DWORD WINAPI control(DWORD code, DWORD, void*, void*) {
  switch (code) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
      report(SERVICE_STOP_PENDING, 10000);
      raise_stop_event(ConsoleEvent::terminate);  // the logger writes its last rows and stops
      return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

// Standard output and error (Win32 handles and the C runtime's descriptors 1 and 2) appended to
// `path`.
bool redirect_output(const std::string& path) {
  HANDLE h = ::CreateFileW(win32::widen(path).c_str(), FILE_APPEND_DATA,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return false;
  ::SetStdHandle(STD_OUTPUT_HANDLE, h);
  ::SetStdHandle(STD_ERROR_HANDLE, h);
  const int fd = ::_open_osfhandle(reinterpret_cast<intptr_t>(h), 0);
  if (fd >= 0) {
    ::_dup2(fd, 1);
    ::_dup2(fd, 2);
  }
  return true;
}

void WINAPI service_main(DWORD, LPWSTR*) {
  g_status_handle = ::RegisterServiceCtrlHandlerExW(g_name.c_str(), control, nullptr);
  if (g_status_handle == nullptr) return;
  report(SERVICE_START_PENDING, 3000);
  // Only now that the service control manager runs us: before, errors go to the caller's console.
  if (!g_log_file.empty()) redirect_output(g_log_file);
  report(SERVICE_RUNNING);
  g_ran = true;
  g_exit_code = (*g_body)();
  std::fflush(nullptr);
  report(SERVICE_STOPPED);
}

}  // namespace

ServiceRun run_as_service(const std::string& name, const std::string& log_file,
                          const std::function<int()>& body) {
  ServiceRun out;
  g_name = win32::widen(name);
  g_body = &body;
  g_log_file = log_file;  // without it (or when it cannot be opened) the messages are lost
  SERVICE_TABLE_ENTRYW table[] = {{g_name.data(), service_main}, {nullptr, nullptr}};
  if (!::StartServiceCtrlDispatcherW(table)) {
    const DWORD err = ::GetLastError();
    out.error = err == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT
                    ? "--service " + name +
                          ": not started by the Windows service control manager (create the "
                          "service with sc.exe and start it with sc.exe start or net start: "
                          "docs/windows.md)"
                    : "--service " + name + ": " + win32::system_message(err);
    return out;
  }
  out.started = g_ran;
  out.exit_code = g_exit_code;
  if (!g_ran) out.error = "--service " + name + ": the service control manager did not start it";
  return out;
}

}  // namespace platform
