#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

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

  // Start the Python 3 script `script` (under tests/support) with `args` and `--port-file`,
  // and wait until it wrote its port there; `what` names it in failures. A missing python3
  // fails the test.
  void start_python(const std::string& script, std::vector<std::string> args,
                    const std::string& what);

  // Start the server `argv(port)` on a free port, stdout to `out` and stderr to `err`, and wait
  // up to `timeout_ms` until it accepts connections (on another port when that one was taken
  // meanwhile, five times at most); m_pid stays -1 when it never did.
  void start_listening(const std::function<std::vector<std::string>(int)>& argv,
                       const std::filesystem::path& out, const std::filesystem::path& err,
                       int timeout_ms);

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
// Every request is also logged with its headers (logged_headers()), and with `sigv4_secret`,
// with whether its AWS Signature V4 is right for that secret.
class FaultServer : public LoopbackServer {
 public:
  FaultServer(std::filesystem::path dir, const std::string& mode,
              const std::string& match = "/cas/", const std::string& sigv4_secret = "");

  // Return the requests logged so far, in order: {"method", "path", "status", "headers",
  // "sigv4"}, header names in lower case, "sigv4" "ok", "mismatch" or "absent" (no signature, or
  // no `sigv4_secret`).
  [[nodiscard]] std::vector<nlohmann::json> logged_headers() const;
};

// A real S3 server, npm s3rver (tests/s3, installed by scripts/bootstrap) under node, with the
// bucket `bucket`, path-style at url(""); stopped with SIGTERM. It accepts the access key
// "S3RVER" with any secret, and needs `x-amz-content-sha256`. Node runs with
// --openssl-legacy-provider: s3rver 3.7.1 makes its continuation tokens with DES, which
// OpenSSL 3 leaves out by default. A missing node or s3rver fails the test.
class S3rverServer : public LoopbackServer {
 public:
  S3rverServer(std::filesystem::path dir, const std::string& bucket);
};

// The bucket of shared_s3rver().
inline constexpr const char* k_s3_bucket = "qa-bucket";

// Return the one S3rverServer of the test program, with the bucket k_s3_bucket, started on first
// use in a temporary folder and stopped by PID at exit.
S3rverServer& shared_s3rver();

// Read the objects under `prefix` of the bucket `bucket` at `endpoint` with a standard S3 client
// (tests/s3/minio_read.mjs, npm minio, under node; credentials from `env`, a whole environment)
// into `out`; its stdout lists their keys relative to the prefix, one a line.
ProcessResult minio_read(const std::string& endpoint, const std::string& bucket,
                         const std::string& prefix, const std::filesystem::path& out,
                         const std::map<std::string, std::string>& env);

// The recording GitLab and GitHub REST server of tests/support/forge_server.py (Python 3): it
// accepts `token`, starts with the comments of the JSON file `seed` (when not empty), and logs
// every request (method, path, headers, body, status) as a JSON line. Its GitLab API is at
// url("api/v4"), its GitHub API at url("").
class ForgeServer : public LoopbackServer {
 public:
  ForgeServer(std::filesystem::path dir, const std::string& token,
              const std::filesystem::path& seed = {});

  // Return the requests logged so far, in order.
  [[nodiscard]] std::vector<nlohmann::json> logged() const;
  // Return the comments now held: {"<forge>:<project>:<number>": [{"id", "body"}, ...]}.
  [[nodiscard]] nlohmann::json state() const;
};

// Return the lines of the request log `log` whose method is `method` (any when empty) and
// whose URI contains `uri_part`.
std::size_t count_requests(const std::filesystem::path& log, std::string_view method,
                           std::string_view uri_part);

}  // namespace qa::test
