#include <qa/http/client.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <qa/http/curl_handles.hpp>
#include <qa/http/transfer.hpp>
#include <qa/util/interrupt.hpp>
#include <qa/util/log.hpp>
#include <qa/version.hpp>

namespace qa::http {

namespace {

using Clock = std::chrono::steady_clock;

// The characters sent as they are in a path. S3 signs the path escaped its way (RFC 3986
// unreserved characters and `/`), so its requests escape everything else.
bool unreserved(char c, bool s3) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view(s3 ? "-._~/" : "-._~/+=,@").find(c) != std::string_view::npos;
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
    case Method::post:
      return "POST";
    case Method::patch:
      return "PATCH";
    case Method::del:
      return "DELETE";
  }
  return "GET";
}

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

Client::Client(Settings settings)
    : m_settings(std::move(settings)), m_pool(std::make_unique<Pool>()) {
  global_init();
}

Client::~Client() = default;

std::string Client::url(std::string_view path) const {
  std::string out = m_settings.base_url;
  out += '/';
  for (const char c : path) {
    if (unreserved(c, m_settings.s3.has_value())) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string Client::failure(const Request& request, const Response& response) const {
  const std::string what =
      fmt::format("cannot {} {}", method_name(request.method), quote(url(request.path)));
  if (response.error) {
    return fmt::format("{}: {}", what, response.error->message);
  }
  if (m_settings.s3 && (response.status == 401 || response.status == 403)) {
    return fmt::format(
        "{}: {} {}: the credentials of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
        "AWS_SESSION_TOKEN, AWS_REGION) were refused or do not allow it",
        what, response.status, response.status == 401 ? "unauthorized" : "forbidden");
  }
  const Credentials& credentials = m_settings.credentials;
  const std::string given = !credentials.token.empty() ? "QA_STORE_TOKEN"
                            : !credentials.user.empty()
                                ? "QA_STORE_USER/QA_STORE_PASSWORD (or the URL's user)"
                                : "";
  if (response.status == 401) {
    return given.empty()
               ? fmt::format(
                     "{}: 401 unauthorized: the store needs credentials: set "
                     "QA_STORE_TOKEN (or QA_STORE_USER and QA_STORE_PASSWORD)",
                     what)
               : fmt::format("{}: 401 unauthorized: the server refused the credentials of {}", what,
                             given);
  }
  if (response.status == 403) {
    return given.empty() ? fmt::format(
                               "{}: 403 forbidden: set QA_STORE_TOKEN (or QA_STORE_USER and "
                               "QA_STORE_PASSWORD) to credentials allowed to do it",
                               what)
                         : fmt::format("{}: 403 forbidden: the credentials of {} do not allow it",
                                       what, given);
  }
  return fmt::format(
      "{}: the server answered {}{}", what, response.status,
      response.attempts > 1 ? fmt::format(" ({} attempts)", response.attempts) : std::string());
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

  auto start = [&](std::size_t index) {
    Request& request = requests[index];
    Response& response = responses[index];
    ++response.attempts;
    response.status = 0;
    response.content_length.reset();
    response.body.clear();
    response.headers.clear();
    response.error.reset();
    auto transfer = std::make_unique<Transfer>();
    transfer->index = index;
    transfer->request = &request;
    transfer->response = &response;
    transfer->url = url(request.path);
    if (!request.query.empty()) {
      transfer->url += '?' + request.query;
    }
    transfer->started = Clock::now();
    if (auto prepared = prepare_transfer(*transfer, m_settings, user_agent); !prepared) {
      response.error = std::move(prepared).error();
      return;
    }
    CURL* easy = transfer->easy.get();
    curl_multi_add_handle(multi.get(), easy);
    active.emplace(easy, std::move(transfer));
  };

  auto finish = [&](CURL* easy, CURLcode code) {
    auto node = active.extract(easy);
    Transfer& transfer = *node.mapped();
    curl_multi_remove_handle(multi.get(), easy);
    Response& response = *transfer.response;
    response.status = response_code(easy);
    curl_off_t length = -1;
    if (curl_easy_getinfo(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK &&
        length >= 0) {
      response.content_length = static_cast<std::uint64_t>(length);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - transfer.started).count();
    util::log::debug(
        "{} {} -> {} ({:.3f} s)", method_name(transfer.request->method), transfer.url,
        code == CURLE_OK ? std::to_string(response.status) : std::string(curl_easy_strerror(code)),
        seconds);
    if (transfer.local_error) {
      response.error = std::move(transfer.local_error);
      return;
    }
    const std::string why = transfer.error_buffer[0] != '\0'
                                ? std::string(transfer.error_buffer.data())
                                : std::string(curl_easy_strerror(code));
    // A POST that reached the server may have taken effect: sending it again could repeat it.
    const bool repeatable = transfer.request->method != Method::post ||
                            code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST;
    if (retryable(code, response.status) && repeatable && response.attempts <= m_settings.retries) {
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
                             ErrorKind::environment};
    }
  };

  while (true) {
    if (util::interrupted()) {
      // SIGINT/SIGTERM in a tool that traps them: abandon every transfer, half-sent PUTs
      // included (the server keeps nothing of an incomplete body).
      for (auto& [easy, transfer] : active) {
        curl_multi_remove_handle(multi.get(), easy);
        transfer->response->error = Error{"interrupted", ErrorKind::interrupted};
      }
      active.clear();
      for (const std::size_t index : ready) {
        responses[index].error = Error{"interrupted", ErrorKind::interrupted};
      }
      for (const auto& [time, index] : waiting) {
        responses[index].error = Error{"interrupted", ErrorKind::interrupted};
      }
      break;
    }
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
