#include <qa/http/settings.hpp>

#include <algorithm>
#include <charconv>
#include <utility>

#include <qa/util/cache_dir.hpp>
#include <qa/util/env.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/url.hpp>

namespace qa::http {

namespace fs = std::filesystem;

namespace {

template <typename T>
Expected<T> number_from_env(const char* name, T fallback, T low, T high) {
  const auto text = util::env_value(name);
  if (!text) {
    return fallback;
  }
  T value{};
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < low || value > high) {
    return fail("invalid {} {}: expected a whole number from {} to {}", name, quote(*text), low,
                high);
  }
  return value;
}

}  // namespace

fs::path blob_cache_location() { return util::qa_cache_folder("blobs").value_or(fs::path()); }

Expected<Settings> settings_from_environment(std::string_view location) {
  Settings settings;
  const std::size_t scheme_end = location.find("://");
  const std::string scheme =
      util::to_lower(location.substr(0, std::min(scheme_end, location.size())));
  if (scheme_end == std::string_view::npos || (scheme != "http" && scheme != "https")) {
    return fail("cannot use store {}: not an http(s) URL", quote(util::redact_url(location)));
  }
  std::size_t authority = scheme_end + 3;
  // The userinfo ends where redact_url says, so that what is sent is what is hidden.
  if (const std::size_t at = util::userinfo_end(location); at != std::string_view::npos) {
    const std::string_view userinfo = location.substr(authority, at - authority);
    const std::size_t colon = userinfo.find(':');
    settings.credentials.user = util::percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) {
      settings.credentials.password = util::percent_decode(userinfo.substr(colon + 1));
    }
    authority = at + 1;
  }
  const std::size_t path_start = location.find_first_of("/?#", authority);
  const std::string_view host_part =
      location.substr(authority, path_start == std::string_view::npos ? std::string_view::npos
                                                                      : path_start - authority);
  if (host_part.empty()) {
    return fail("cannot use store {}: no host", quote(util::redact_url(location)));
  }
  std::string path(path_start == std::string_view::npos ? std::string_view()
                                                        : location.substr(path_start));
  if (path.find_first_of("?#") != std::string::npos) {
    return fail("cannot use store {}: a query or fragment is not supported",
                quote(util::redact_url(location)));
  }
  while (path.ends_with('/')) {
    path.pop_back();
  }
  settings.base_url = scheme + "://" + std::string(host_part) + path;

  if (auto user = util::env_value("QA_STORE_USER")) {
    settings.credentials.user = *user;
    settings.credentials.password = util::env_value("QA_STORE_PASSWORD").value_or("");
  } else if (auto password = util::env_value("QA_STORE_PASSWORD")) {
    settings.credentials.password = *password;
  }
  settings.credentials.token = util::env_value("QA_STORE_TOKEN").value_or("");
  // A control character would end a header and start another: refused, never sent.
  for (const auto& [origin, value] :
       {std::pair{"QA_STORE_TOKEN (or the URL's)", &settings.credentials.token},
        std::pair{"QA_STORE_USER (or the URL's user)", &settings.credentials.user},
        std::pair{"QA_STORE_PASSWORD (or the URL's)", &settings.credentials.password}}) {
    if (util::has_control_character(*value)) {
      return fail_as(ErrorKind::config,
                     "cannot use store {}: the credential of {} holds a control character "
                     "(a line break?)",
                     quote(util::redact_url(location)), origin);
    }
  }
  QA_TRY(read_transfer_policy(settings));
  return settings;
}

Expected<void> read_transfer_policy(Settings& settings) {
  settings.ca_bundle = util::env_value("QA_STORE_CA").value_or("");
  QA_TRY_ASSIGN(settings.jobs, number_from_env<std::size_t>("QA_STORE_JOBS", 8, 1, 64));
  QA_TRY_ASSIGN(settings.retries, number_from_env<int>("QA_STORE_RETRIES", 4, 0, 20));
  QA_TRY_ASSIGN(settings.timeout_s, number_from_env<long>("QA_STORE_TIMEOUT", 30, 1, 3600));
  settings.blob_cache = blob_cache_location();
  return {};
}

}  // namespace qa::http
