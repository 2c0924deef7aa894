#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <qa/http/settings.hpp>
#include <qa/util/error.hpp>
#include <qa/util/hash.hpp>

namespace qa::http {

enum class Method { head, get, put, post, patch, del };  // del: DELETE

// Where the body of a GET goes while it streams in. `restart()` is called before every attempt
// (a retry starts from nothing); `write()` receives the pieces in order. An error from either
// ends the request without retry.
class Sink {
 public:
  virtual ~Sink() = default;
  [[nodiscard]] virtual Expected<void> restart() = 0;
  [[nodiscard]] virtual Expected<void> write(std::string_view bytes) = 0;
};

// One HTTP request against the store. A PUT sends `upload_file` (which must hold exactly
// `upload_size` bytes, and when `upload_hash` is set, hash to it: a file that changed is not
// sent whole, so the server keeps nothing) when it is set, else `upload_body`; a POST or PATCH
// sends `upload_body`. A GET streams its body into `sink` when set, else into Response::body
// (documents: small), as does a POST, PUT, PATCH or DELETE its answer. `headers` (`Name: value`
// lines, which may hold credentials: never printed nor logged) are sent with it.
struct Request {
  Method method = Method::get;
  std::string path;  // relative to the store's base URL, `/`-separated
  std::filesystem::path upload_file;
  std::uint64_t upload_size = 0;
  std::string upload_body;
  Sink* sink = nullptr;
  std::string accept;  // an Accept header, when not empty
  std::optional<util::Hash128> upload_hash;
  std::vector<std::string> headers;
  std::string query;  // after a `?`, already escaped; empty: none
};

// How a request ended: the HTTP status of its last attempt (0 when no answer came), the body of
// a successful GET without sink, or the error that ended it (transport, after the retries, or
// from the sink).
struct Response {
  long status = 0;
  std::string body;
  std::optional<std::uint64_t> content_length;  // as announced by the server, when it did
  std::optional<Error> error;
  int attempts = 0;
  // The headers of the last answer, names in lower case, values without surrounding space.
  std::vector<std::pair<std::string, std::string>> headers;

  // Return the value of the header `name` (lower case) of the last answer, or nothing.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

// An HTTP client for one store: parallel transfers over reused connections with retries.
// Credentials are sent, never printed: URLs in messages and logs carry no userinfo, and curl's
// own verbose output (which shows headers) is never enabled. TLS peers are always verified.
class Client {
 public:
  explicit Client(Settings settings);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Perform `requests`, at most `settings.jobs` at once over kept-alive connections, and return
  // one Response per request, in order. Connection errors, timeouts (no connection within
  // `timeout_s`, or no byte moving for `timeout_s`), 408, 429 and 5xx answers are retried up to
  // `retries` times with exponential backoff and jitter (a POST, which may have taken effect,
  // only when no connection was made); other answers are returned as they are. When the process is
  // interrupted (util/interrupt.hpp), the requests not finished fail with "interrupted".
  // Thread-safe: concurrent calls use separate connection pools.
  [[nodiscard]] std::vector<Response> perform(std::vector<Request>& requests);

  // Return the URL of `path` (escaped), without credentials.
  [[nodiscard]] std::string url(std::string_view path) const;
  [[nodiscard]] const Settings& settings() const { return m_settings; }

  // Return the message of a request that did not succeed, in the project's style:
  // `cannot GET "<url>": <why>`, where 401 and 403 name the credential variables.
  [[nodiscard]] std::string failure(const Request& request, const Response& response) const;

 private:
  struct Pool;
  Settings m_settings;
  std::unique_ptr<Pool> m_pool;
};

[[nodiscard]] std::string_view method_name(Method method);

}  // namespace qa::http
