#include <qa/http/s3_settings.hpp>

#include <algorithm>
#include <utility>

#include <qa/util/env.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/url.hpp>

namespace qa::http {

namespace {

constexpr std::string_view k_scheme = "s3://";

bool bucket_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

bool valid_bucket(std::string_view bucket) {
  const auto alphanumeric = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return bucket.size() >= 3 && bucket.size() <= 63 &&
         std::all_of(bucket.begin(), bucket.end(), bucket_character) &&
         alphanumeric(bucket.front()) && alphanumeric(bucket.back());
}

// Whether `prefix` (without `/` at its ends) is a plain key path: no empty, `.` or `..` part,
// no query or fragment, no control character.
bool valid_prefix(std::string_view prefix) {
  if (prefix.empty()) {
    return true;
  }
  if (prefix.find_first_of("?#\\") != std::string_view::npos ||
      util::has_control_character(prefix)) {
    return false;
  }
  std::size_t start = 0;
  while (start <= prefix.size()) {
    const std::size_t end = std::min(prefix.find('/', start), prefix.size());
    const std::string_view part = prefix.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return false;
    }
    start = end + 1;
  }
  return true;
}

bool valid_region(std::string_view region) {
  return !region.empty() && std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

Expected<S3Location> s3_location_from_environment(std::string_view location) {
  const std::string shown = util::redact_url(location);
  if (util::to_lower(location.substr(0, std::min(location.size(), k_scheme.size()))) != k_scheme) {
    return fail_as(ErrorKind::config, "cannot use store {}: not an s3:// URL", quote(shown));
  }
  std::string_view rest = location.substr(k_scheme.size());
  const std::size_t slash = rest.find('/');
  const std::string_view bucket = rest.substr(0, slash);
  std::string_view prefix =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  while (prefix.starts_with('/')) {
    prefix.remove_prefix(1);
  }
  while (prefix.ends_with('/')) {
    prefix.remove_suffix(1);
  }
  if (!valid_bucket(bucket)) {
    return fail_as(ErrorKind::config,
                   "cannot use store {}: invalid bucket name {} (3 to 63 lowercase letters, "
                   "digits, dots and dashes)",
                   quote(shown), quote(bucket));
  }
  if (!valid_prefix(prefix)) {
    return fail_as(ErrorKind::config,
                   "cannot use store {}: invalid key prefix {} (an empty, \".\" or \"..\" part, "
                   "a query, a fragment or a control character)",
                   quote(shown), quote(prefix));
  }

  S3Location result;
  S3Signing signing;
  signing.access_key = util::env_value("AWS_ACCESS_KEY_ID").value_or("");
  signing.secret_key = util::env_value("AWS_SECRET_ACCESS_KEY").value_or("");
  signing.session_token = util::env_value("AWS_SESSION_TOKEN").value_or("");
  if (signing.access_key.empty() || signing.secret_key.empty()) {
    return fail_as(ErrorKind::config,
                   "cannot use store {}: no credentials: set AWS_ACCESS_KEY_ID and "
                   "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)",
                   quote(shown));
  }
  // A control character would end a header and start another: refused, never sent.
  for (const auto& [name, value] : {std::pair{"AWS_ACCESS_KEY_ID", &signing.access_key},
                                    std::pair{"AWS_SECRET_ACCESS_KEY", &signing.secret_key},
                                    std::pair{"AWS_SESSION_TOKEN", &signing.session_token}}) {
    if (util::has_control_character(*value)) {
      return fail_as(ErrorKind::config,
                     "cannot use store {}: {} holds a control character (a line break?)",
                     quote(shown), name);
    }
  }
  const char* region_variable = "AWS_REGION";
  auto region = util::env_value(region_variable);
  if (!region) {
    region_variable = "AWS_DEFAULT_REGION";
    region = util::env_value(region_variable);
  }
  signing.region = region.value_or("us-east-1");
  if (!valid_region(signing.region)) {
    return fail_as(ErrorKind::config, "invalid {} {}: expected a region name such as \"eu-west-1\"",
                   region_variable, quote(signing.region));
  }

  const char* endpoint_variable = "AWS_ENDPOINT_URL_S3";
  auto endpoint = util::env_value(endpoint_variable);
  if (!endpoint) {
    endpoint_variable = "AWS_ENDPOINT_URL";
    endpoint = util::env_value(endpoint_variable);
  }
  if (endpoint) {
    std::string url = *endpoint;
    while (url.ends_with('/')) {
      url.pop_back();
    }
    const std::string scheme = util::to_lower(url.substr(0, url.find("://")));
    const bool http =
        url.find("://") != std::string::npos && (scheme == "http" || scheme == "https");
    if (!http || url.size() <= scheme.size() + 3 || util::userinfo_end(url) != std::string::npos ||
        url.find_first_of("?#") != std::string::npos || util::has_control_character(url)) {
      return fail_as(ErrorKind::config,
                     "invalid {} {}: expected an http(s) URL without user, query or fragment",
                     endpoint_variable, quote(util::redact_url(url)));
    }
    result.bucket_url = fmt::format("{}/{}", url, bucket);
  } else {
    result.bucket_url = fmt::format("https://{}.s3.{}.amazonaws.com", bucket, signing.region);
  }

  Settings& settings = result.settings;
  settings.base_url =
      prefix.empty() ? result.bucket_url : fmt::format("{}/{}", result.bucket_url, prefix);
  settings.display =
      prefix.empty() ? fmt::format("s3://{}", bucket) : fmt::format("s3://{}/{}", bucket, prefix);
  settings.s3 = std::move(signing);
  result.prefix = std::string(prefix);
  QA_TRY(read_transfer_policy(settings));
  return result;
}

}  // namespace qa::http
