#include <qa/http/curl_handles.hpp>

#include <mutex>
#include <new>

namespace qa::http {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::bad_alloc();
    }
  });
}

void append_header(HeaderList& list, const char* header) {
  curl_slist* appended = curl_slist_append(list.get(), header);
  if (appended == nullptr) {
    throw std::bad_alloc();
  }
  (void)list.release();
  list.reset(appended);
}

}  // namespace qa::http
