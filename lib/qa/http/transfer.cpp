#include <qa/http/transfer.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

#include <qa/store/backend.hpp>
#include <qa/util/url.hpp>

namespace qa::http {

namespace {

// Below this speed for QA_STORE_TIMEOUT seconds, a transfer is abandoned (and retried).
constexpr long k_stall_bytes_per_s = 1024;

constexpr double k_max_backoff_s = 8.0;
constexpr long k_buffer_size = 256L * 1024;  // fewer, larger writes of big blobs
constexpr std::size_t k_max_headers = 200;   // of one answer; the others are ignored

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const long code = response_code(transfer->easy.get());
  if (code < 200 || code >= 300) {
    return bytes;  // an error page: not content
  }
  if (transfer->request->sink == nullptr) {
    if (transfer->response->body.size() + bytes > store::k_max_document_bytes) {
      transfer->local_error =
          Error{fmt::format("the answer to {} is larger than a document of the store may be ({} "
                            "bytes)",
                            quote(util::redact_url(transfer->url)), store::k_max_document_bytes),
                ErrorKind::environment};
      return 0;  // CURLE_WRITE_ERROR
    }
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
    const Request& request = *transfer->request;
    while (true) {
      const std::uint64_t left = request.upload_size - transfer->upload_hasher.size();
      const ssize_t n = ::read(transfer->upload_fd.get(), buffer,
                               static_cast<std::size_t>(std::min<std::uint64_t>(room, left)));
      if (n >= 0) {
        transfer->upload_hasher.update(std::string_view(buffer, static_cast<std::size_t>(n)));
        const bool complete = transfer->upload_hasher.size() == request.upload_size;
        if (request.upload_hash && (n == 0 || complete) &&
            (!complete || transfer->upload_hasher.digest() != *request.upload_hash)) {
          // The last piece is held back: the server gets an incomplete body and keeps nothing.
          transfer->local_error =
              Error{fmt::format("cannot store {}: it changed while it was recorded",
                                quote(request.upload_file.string())),
                    ErrorKind::io};
          return CURL_READFUNC_ABORT;
        }
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) {
        transfer->local_error =
            Error{fmt::format("cannot read {}: {}", quote(transfer->request->upload_file.string()),
                              std::strerror(errno)),
                  ErrorKind::io};
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

// Keep each header of the answer in Response::headers; a status line (a new answer, after a
// `100 Continue` say) starts them again.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  auto& headers = transfer->response->headers;
  if (line.starts_with("HTTP/")) {
    headers.clear();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || headers.size() >= k_max_headers) {
    return bytes;
  }
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  std::string_view value = line.substr(colon + 1);
  const auto first = value.find_first_not_of(" \t");
  const auto last = value.find_last_not_of(" \t\r\n");
  value =
      first == std::string_view::npos ? std::string_view() : value.substr(first, last - first + 1);
  headers.emplace_back(std::move(name), std::string(value));
  return bytes;
}

int on_seek(void* user, curl_off_t offset, int origin) {
  auto* transfer = static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  if (transfer->upload_fd) {
    if (offset != 0) {
      return CURL_SEEKFUNC_CANTSEEK;  // the hash of what is sent is computed from the start
    }
    transfer->upload_hasher.reset();
    return ::lseek(transfer->upload_fd.get(), static_cast<off_t>(offset), SEEK_SET) < 0
               ? CURL_SEEKFUNC_FAIL
               : CURL_SEEKFUNC_OK;
  }
  transfer->body_offset =
      std::min(static_cast<std::size_t>(offset), transfer->request->upload_body.size());
  return CURL_SEEKFUNC_OK;
}

}  // namespace

long response_code(CURL* easy) {
  long code = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
  return code;
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
  const double base =
      std::min(k_max_backoff_s, settings.backoff_s * double(1 << std::min(attempt - 1, 16)));
  // Jitter: between half and all of the exponential delay, so that many clients that failed
  // together do not retry together.
  return base * std::uniform_real_distribution<double>(0.5, 1.0)(rng);
}

Expected<void> prepare_transfer(Transfer& transfer, const Settings& settings,
                                const std::string& user_agent) {
  const Request& request = *transfer.request;
  if (request.sink != nullptr) {
    if (auto restarted = request.sink->restart(); !restarted) {
      return tl::unexpected<Error>(std::move(restarted).error());
    }
  }
  if (request.method == Method::put && !request.upload_file.empty()) {
    // O_NOFOLLOW: a symbolic link put in an output's place is never followed.
    transfer.upload_fd.reset(
        ::open(request.upload_file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    struct stat st {};
    if (!transfer.upload_fd || ::fstat(transfer.upload_fd.get(), &st) != 0) {
      return fail("cannot read {}: {}", quote(request.upload_file.string()),
                  errno == ELOOP ? "it is a symbolic link" : std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
      return fail("cannot store {}: not a regular file", quote(request.upload_file.string()));
    }
    if (static_cast<std::uint64_t>(st.st_size) != request.upload_size) {
      return fail("{} changed while it was recorded ({} bytes, expected {})",
                  quote(request.upload_file.string()), st.st_size, request.upload_size);
    }
  }
  transfer.easy.reset(curl_easy_init());
  if (!transfer.easy) {
    throw std::bad_alloc();
  }
  CURL* easy = transfer.easy.get();
  curl_easy_setopt(easy, CURLOPT_URL, transfer.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer.data());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, settings.timeout_s);
  // A transfer slower than 1 KiB/s for the whole timeout is stalled, even when a byte still
  // trickles in now and then (a server sending 2 bytes a second is never quite silent).
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, k_stall_bytes_per_s);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, settings.timeout_s);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, k_buffer_size);
  curl_easy_setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, k_buffer_size);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
  if (!settings.ca_bundle.empty()) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, settings.ca_bundle.c_str());
  }
  if (settings.s3) {
    // AWS Signature V4 over the method, path, query and headers (x-amz-* included); the body
    // is not hashed (UNSIGNED-PAYLOAD, which S3 accepts over any transport): a blob streams
    // from its file once, and the store checks blobs by their own hash.
    const std::string scope = "aws:amz:" + settings.s3->region + ":s3";
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_AWS_SIGV4);
    curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, scope.c_str());
    curl_easy_setopt(easy, CURLOPT_USERNAME, settings.s3->access_key.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, settings.s3->secret_key.c_str());
    append_header(transfer.headers, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
    if (!settings.s3->session_token.empty()) {
      const std::string token = "x-amz-security-token: " + settings.s3->session_token;
      append_header(transfer.headers, token.c_str());
    }
  } else if (!settings.credentials.token.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
    curl_easy_setopt(easy, CURLOPT_XOAUTH2_BEARER, settings.credentials.token.c_str());
  } else if (!settings.credentials.user.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(easy, CURLOPT_USERNAME, settings.credentials.user.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, settings.credentials.password.c_str());
  }
  append_header(transfer.headers, "Expect:");
  if (!request.accept.empty()) {
    const std::string accept = "Accept: " + request.accept;
    append_header(transfer.headers, accept.c_str());
  }
  for (const std::string& header : request.headers) {
    append_header(transfer.headers, header.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers.get());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
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
      curl_easy_setopt(easy, CURLOPT_READDATA, &transfer);
      curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, on_seek);
      curl_easy_setopt(easy, CURLOPT_SEEKDATA, &transfer);
      curl_easy_setopt(
          easy, CURLOPT_INFILESIZE_LARGE,
          static_cast<curl_off_t>(request.upload_file.empty() ? request.upload_body.size()
                                                              : request.upload_size));
      break;
    case Method::post:
    case Method::patch:
      // The body is sent from the request, which outlives the transfer.
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.upload_body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.upload_body.data());
      if (request.method == Method::patch) {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "PATCH");
      }
      break;
    case Method::del:
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "DELETE");
      break;
  }
  return {};
}

}  // namespace qa::http
