#include <qa/http/client.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <qa/http/curl_handles.hpp>
#include <qa/util/log.hpp>
#include <qa/util/unique_fd.hpp>
#include <qa/version.hpp>

namespace qa::http {

namespace {

using Clock = std::chrono::steady_clock;

constexpr double k_max_backoff_s = 8.0;

bool unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~/+=,@").find(c) != std::string_view::npos;
}

// One attempt of one request: its easy handle and what its callbacks need.
struct Transfer {
  std::size_t index = 0;
  Request* request = nullptr;
  Response* response = nullptr;
  EasyHandle easy;
  HeaderList headers;
  util::UniqueFd upload_fd;
  std::size_t body_offset = 0;
  std::optional<Error> local_error;  // from the sink or the upload file: never retried
  Clock::time_point started;
  std::string url;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
};

long response_code(CURL* easy) {
  long code = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const long code = response_code(transfer->easy.get());
  if (code < 200 || code >= 300) {
    return bytes;  // an error page: not content
  }
  if (transfer->request->sink == nullptr) {
    transfer->response->body.append(data, bytes);
    return bytes;
  }
  auto written = transfer->request->sink->write(std::string_view(data, bytes));
  if (!written) {
    transfer->local_error = std::move(written).error();
    return 0;  // CURLE_WRITE_ERROR
  }
  return bytes;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t room = size * count;
  if (transfer->upload_fd) {
    while (true) {
      const ssize_t n = ::read(transfer->upload_fd.get(), buffer, room);
      if (n >= 0) {
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) {
        transfer->local_error = Error{fmt::format("cannot read {}: {}",
                                                  quote(transfer->request->upload_file.string()),
                                                  std::strerror(errno)),
                                      2};
        return CURL_READFUNC_ABORT;
      }
    }
  }
  const std::string& body = transfer->request->upload_body;
  const std::size_t n = std::min(room, body.size() - transfer->body_offset);
  std::memcpy(buffer, body.data() + transfer->body_offset, n);
  transfer->body_offset += n;
  return n;
}

int on_seek(void* user, curl_off_t offset, int origin) {
  auto* transfer = static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  if (transfer->upload_fd) {
    return ::lseek(transfer->upload_fd.get(), static_cast<off_t>(offset), SEEK_SET) < 0
               ? CURL_SEEKFUNC_FAIL
               : CURL_SEEKFUNC_OK;
  }
  transfer->body_offset =
      std::min(static_cast<std::size_t>(offset), transfer->request->upload_body.size());
  return CURL_SEEKFUNC_OK;
}

bool retryable(CURLcode code, long status) {
  switch (code) {
    case CURLE_OK:
      return status >= 500 || status == 408 || status == 429;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

double backoff_seconds(const Settings& settings, int attempt) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const double base = std::min(k_max_backoff_s, settings.backoff_s * double(1 << std::min(attempt - 1, 16)));
  // Jitter: between half and all of the exponential delay, so that many clients that failed
  // together do not retry together.
  return base * std::uniform_real_distribution<double>(0.5, 1.0)(rng);
}

}  // namespace

// Idle multi handles: each keeps its connections open for the next perform() call.
struct Client::Pool {
  std::mutex mutex;
  std::vector<MultiHandle> idle;
};

std::string_view method_name(Method method) {
  switch (method) {
    case Method::head:
      return "HEAD";
    case Method::get:
      return "GET";
    case Method::put:
      return "PUT";
  }
  return "GET";
}

Client::Client(Settings settings) : m_settings(std::move(settings)), m_pool(std::make_unique<Pool>()) {
  global_init();
}

Client::~Client() = default;

std::string Client::url(std::string_view path) const {
  std::string out = m_settings.base_url;
  out += '/';
  for (const char c : path) {
    if (unreserved(c)) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string Client::failure(const Request& request, const Response& response) const {
  const std::string what = fmt::format("cannot {} {}", method_name(request.method),
                                       quote(url(request.path)));
  if (response.error) {
    return fmt::format("{}: {}", what, response.error->message);
  }
  const Credentials& credentials = m_settings.credentials;
  const std::string given = !credentials.token.empty() ? "QA_STORE_TOKEN"
                            : !credentials.user.empty()
                                ? "QA_STORE_USER/QA_STORE_PASSWORD (or the URL's user)"
                                : "";
  if (response.status == 401) {
    return given.empty()
               ? fmt::format("{}: 401 unauthorized: the store needs credentials: set "
                             "QA_STORE_TOKEN (or QA_STORE_USER and QA_STORE_PASSWORD)",
                             what)
               : fmt::format("{}: 401 unauthorized: the server refused the credentials of {}",
                             what, given);
  }
  if (response.status == 403) {
    return given.empty()
               ? fmt::format("{}: 403 forbidden: set QA_STORE_TOKEN (or QA_STORE_USER and "
                             "QA_STORE_PASSWORD) to credentials allowed to do it",
                             what)
               : fmt::format("{}: 403 forbidden: the credentials of {} do not allow it", what,
                             given);
  }
  return fmt::format("{}: the server answered {}{}", what, response.status,
                     response.attempts > 1 ? fmt::format(" ({} attempts)", response.attempts)
                                           : std::string());
}

std::vector<Response> Client::perform(std::vector<Request>& requests) {
  std::vector<Response> responses(requests.size());
  MultiHandle multi;
  {
    const std::lock_guard lock(m_pool->mutex);
    if (!m_pool->idle.empty()) {
      multi = std::move(m_pool->idle.back());
      m_pool->idle.pop_back();
    }
  }
  if (!multi) {
    multi.reset(curl_multi_init());
    if (!multi) {
      throw std::bad_alloc();
    }
    curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(m_settings.jobs));
  }

  std::deque<std::size_t> ready;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    ready.push_back(i);
  }
  std::multimap<Clock::time_point, std::size_t> waiting;  // retries, by the time they are due
  std::map<CURL*, std::unique_ptr<Transfer>> active;
  const std::string user_agent = fmt::format("qatools/{}", k_version);
  const std::string auth_token = m_settings.credentials.token;

  auto start = [&](std::size_t index) {
    Request& request = requests[index];
    Response& response = responses[index];
    ++response.attempts;
    response.status = 0;
    response.body.clear();
    response.error.reset();
    auto transfer = std::make_unique<Transfer>();
    transfer->index = index;
    transfer->request = &request;
    transfer->response = &response;
    transfer->url = url(request.path);
    transfer->started = Clock::now();
    if (request.sink != nullptr) {
      if (auto restarted = request.sink->restart(); !restarted) {
        response.error = std::move(restarted).error();
        return;
      }
    }
    if (request.method == Method::put && !request.upload_file.empty()) {
      transfer->upload_fd.reset(::open(request.upload_file.c_str(), O_RDONLY | O_CLOEXEC));
      struct stat st {};
      if (!transfer->upload_fd || ::fstat(transfer->upload_fd.get(), &st) != 0) {
        response.error = Error{fmt::format("cannot read {}: {}",
                                           quote(request.upload_file.string()),
                                           std::strerror(errno)),
                               2};
        return;
      }
      if (static_cast<std::uint64_t>(st.st_size) != request.upload_size) {
        response.error = Error{fmt::format("{} changed while it was recorded ({} bytes, "
                                           "expected {})",
                                           quote(request.upload_file.string()), st.st_size,
                                           request.upload_size),
                               2};
        return;
      }
    }
    transfer->easy.reset(curl_easy_init());
    if (!transfer->easy) {
      throw std::bad_alloc();
    }
    CURL* easy = transfer->easy.get();
    curl_easy_setopt(easy, CURLOPT_URL, transfer->url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error_buffer.data());
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, m_settings.timeout_s);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, m_settings.timeout_s);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
    if (!m_settings.ca_bundle.empty()) {
      curl_easy_setopt(easy, CURLOPT_CAINFO, m_settings.ca_bundle.c_str());
    }
    if (!auth_token.empty()) {
      curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
      curl_easy_setopt(easy, CURLOPT_XOAUTH2_BEARER, auth_token.c_str());
    } else if (!m_settings.credentials.user.empty()) {
      curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(easy, CURLOPT_USERNAME, m_settings.credentials.user.c_str());
      curl_easy_setopt(easy, CURLOPT_PASSWORD, m_settings.credentials.password.c_str());
    }
    append_header(transfer->headers, "Expect:");
    if (!request.accept.empty()) {
      const std::string accept = "Accept: " + request.accept;
      append_header(transfer->headers, accept.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers.get());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
    switch (request.method) {
      case Method::head:
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
        break;
      case Method::get:
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        break;
      case Method::put:
        curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(easy, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(easy, CURLOPT_READDATA, transfer.get());
        curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, on_seek);
        curl_easy_setopt(easy, CURLOPT_SEEKDATA, transfer.get());
        curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE,
                         static_cast<curl_off_t>(request.upload_file.empty()
                                                     ? request.upload_body.size()
                                                     : request.upload_size));
        break;
    }
    curl_multi_add_handle(multi.get(), easy);
    active.emplace(easy, std::move(transfer));
  };

  auto finish = [&](CURL* easy, CURLcode code) {
    auto node = active.extract(easy);
    Transfer& transfer = *node.mapped();
    curl_multi_remove_handle(multi.get(), easy);
    Response& response = *transfer.response;
    response.status = response_code(easy);
    const double seconds =
        std::chrono::duration<double>(Clock::now() - transfer.started).count();
    util::log::debug("{} {} -> {} ({:.3f} s)", method_name(transfer.request->method),
                     transfer.url, code == CURLE_OK ? std::to_string(response.status)
                                                    : std::string(curl_easy_strerror(code)),
                     seconds);
    if (transfer.local_error) {
      response.error = std::move(transfer.local_error);
      return;
    }
    const std::string why = transfer.error_buffer[0] != '\0'
                                ? std::string(transfer.error_buffer.data())
                                : std::string(curl_easy_strerror(code));
    if (retryable(code, response.status) && response.attempts <= m_settings.retries) {
      const double delay = backoff_seconds(m_settings, response.attempts);
      util::log::debug("retrying {} {} in {:.2f} s (attempt {} of {}): {}",
                       method_name(transfer.request->method), transfer.url, delay,
                       response.attempts + 1, m_settings.retries + 1,
                       code == CURLE_OK ? fmt::format("status {}", response.status) : why);
      waiting.emplace(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(delay)),
                      transfer.index);
      return;
    }
    if (code != CURLE_OK) {
      response.error = Error{response.attempts > 1
                                 ? fmt::format("{} (after {} attempts)", why, response.attempts)
                                 : why,
                             2};
    }
  };

  while (true) {
    const auto now = Clock::now();
    while (!waiting.empty() && waiting.begin()->first <= now) {
      ready.push_back(waiting.begin()->second);
      waiting.erase(waiting.begin());
    }
    while (active.size() < m_settings.jobs && !ready.empty()) {
      const std::size_t index = ready.front();
      ready.pop_front();
      start(index);
    }
    if (active.empty() && ready.empty()) {
      if (waiting.empty()) {
        break;
      }
      std::this_thread::sleep_until(waiting.begin()->first);
      continue;
    }
    int running = 0;
    curl_multi_perform(multi.get(), &running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
      if (message->msg == CURLMSG_DONE) {
        finish(message->easy_handle, message->data.result);
      }
    }
    if (!active.empty() && (ready.empty() || active.size() >= m_settings.jobs)) {
      int timeout_ms = 1000;
      if (!waiting.empty()) {
        const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
            waiting.begin()->first - Clock::now());
        timeout_ms = static_cast<int>(std::clamp<std::int64_t>(until.count(), 0, 1000));
      }
      curl_multi_poll(multi.get(), nullptr, 0, timeout_ms, nullptr);
    }
  }

  const std::lock_guard lock(m_pool->mutex);
  m_pool->idle.push_back(std::move(multi));
  return responses;
}

}  // namespace qa::http
