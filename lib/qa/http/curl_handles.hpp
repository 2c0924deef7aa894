#pragma once

// Owners of libcurl's C handles, for the files of the http backend only (libcurl stays out of
// every other header). Each is a move-only std::unique_ptr whose deleter frees the handle.

#include <curl/curl.h>

#include <memory>

namespace qa::http {

// Initialize libcurl for the process; only the first call does it (thread-safe).
void global_init();

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct MultiDeleter {
  void operator()(CURLM* handle) const { curl_multi_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// Append `header` to `list` (which may be empty); the list keeps ownership on failure.
void append_header(HeaderList& list, const char* header);

}  // namespace qa::http
