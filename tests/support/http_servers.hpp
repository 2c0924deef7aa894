#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace qa::test {

// A server process started by a test on a free loopback port, serving the folder `<dir>/data`
// and logging one `METHOD URI STATUS` line per request; stopped by PID (with `stop_signal`)
// when destroyed.
class LoopbackServer {
 public:
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  [[nodiscard]] bool running() const { return m_pid > 0; }
  // Return `http://127.0.0.1:<port>/<prefix>`.
  [[nodiscard]] std::string url(std::string_view prefix = "store") const;
  [[nodiscard]] const std::filesystem::path& data() const { return m_data; }
  // Return the requests logged so far, one `METHOD URI STATUS` per entry.
  [[nodiscard]] std::vector<std::string> requests() const;
  // Return how many logged requests have `method` and a URI that contains `uri_part`.
  [[nodiscard]] std::size_t count(std::string_view method, std::string_view uri_part) const;
  // Forget the requests logged so far.
  void clear_log() const;

 protected:
  LoopbackServer(std::filesystem::path dir, std::string log_name, int stop_signal);
  ~LoopbackServer();

  std::filesystem::path m_dir;
  std::filesystem::path m_data;
  std::filesystem::path m_log;
  int m_stop_signal;
  int m_port = 0;
  int m_pid = -1;
};

// A real nginx WebDAV server (GET, HEAD, PUT, JSON folder listings), stopped with SIGQUIT. With
// a `token`, every request without `Authorization: Bearer <token>` is answered 401. A missing
// nginx fails the test (scripts/bootstrap installs nginx-light): it is never a skip.
class NginxServer : public LoopbackServer {
 public:
  explicit NginxServer(std::filesystem::path dir, std::string token = "");
};

// The fault-injecting server of tests/support/fault_server.py (Python 3) with the fault `mode`
// on the paths that match the regex `match`. A missing python3 fails the test.
class FaultServer : public LoopbackServer {
 public:
  FaultServer(std::filesystem::path dir, const std::string& mode,
              const std::string& match = "/cas/");
};

// Return the lines of the request log `log` whose method is `method` (any when empty) and
// whose URI contains `uri_part`.
std::size_t count_requests(const std::filesystem::path& log, std::string_view method,
                           std::string_view uri_part);

}  // namespace qa::test
