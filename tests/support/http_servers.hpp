#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace qa::test {

// A real nginx WebDAV server on a free loopback port, serving the folder `<dir>/data` (GET,
// HEAD, PUT, JSON folder listings), started by the constructor and stopped by PID (SIGQUIT) in
// the destructor. Its access log holds one `METHOD URI STATUS` line per request. With a
// `token`, every request without `Authorization: Bearer <token>` is answered 401. A missing
// nginx fails the test (scripts/bootstrap installs nginx-light): it is never a skip.
class NginxServer {
 public:
  explicit NginxServer(std::filesystem::path dir, std::string token = "");
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

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

 private:
  std::filesystem::path m_dir;
  std::filesystem::path m_data;
  int m_port = 0;
  int m_pid = -1;
};

// The fault-injecting server of tests/support/fault_server.py (Python 3), serving `<dir>/data`
// on a free loopback port with the fault `mode` on the paths that match the regex `match`;
// stopped by PID in the destructor. A missing python3 fails the test.
class FaultServer {
 public:
  FaultServer(std::filesystem::path dir, std::string mode, std::string match = "/cas/");
  ~FaultServer();
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  [[nodiscard]] bool running() const { return m_pid > 0; }
  [[nodiscard]] std::string url(std::string_view prefix = "store") const;
  [[nodiscard]] const std::filesystem::path& data() const { return m_data; }
  [[nodiscard]] std::vector<std::string> requests() const;
  [[nodiscard]] std::size_t count(std::string_view method, std::string_view uri_part) const;

 private:
  std::filesystem::path m_dir;
  std::filesystem::path m_data;
  int m_port = 0;
  int m_pid = -1;
};

// Return the lines of the request log `log` whose method is `method` (any when empty) and
// whose URI contains `uri_part`.
std::size_t count_requests(const std::filesystem::path& log, std::string_view method,
                           std::string_view uri_part);

}  // namespace qa::test
