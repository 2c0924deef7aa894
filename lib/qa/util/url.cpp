#include <qa/util/url.hpp>

#include <qa/util/strings.hpp>

#include <algorithm>

namespace qa::util {

std::size_t userinfo_end(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::string_view::npos;
  }
  const std::size_t authority = scheme_end + 3;
  const std::size_t authority_end = url.find_first_of("/?#", authority);
  const std::string_view host_part =
      url.substr(authority, authority_end == std::string_view::npos ? std::string_view::npos
                                                                    : authority_end - authority);
  const std::size_t at = host_part.rfind('@');
  // A password holding "/", "?", "#" or "@" unencoded (an invalid URL, but the secret is still
  // there) ends the authority early. The userinfo then runs to the last "@" before the query,
  // when what precedes it holds a ":" that does not start a port.
  const std::size_t first_at = url.find('@', authority);
  const std::size_t last_at =
      first_at == std::string_view::npos
          ? first_at
          : url.rfind('@', std::min(url.find_first_of("?#", first_at), url.size()));
  std::size_t end = at == std::string_view::npos ? at : authority + at;
  if (last_at != std::string_view::npos && last_at != end) {
    const std::string_view before = url.substr(authority, last_at - authority);
    const std::size_t colon = before.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view after_colon = before.substr(colon + 1);
      const std::string_view port = after_colon.substr(0, after_colon.find_first_of("/?#"));
      const bool is_port = !port.empty() && port.size() < after_colon.size() &&
                           port.find_first_not_of("0123456789") == std::string_view::npos;
      if (!is_port) {
        end = last_at;
      }
    }
  }
  return end;
}

std::string redact_url(std::string_view url) {
  const std::size_t end = userinfo_end(url);
  if (end == std::string_view::npos) {
    return std::string(url);
  }
  return std::string(url.substr(0, url.find("://") + 3)) + std::string(url.substr(end + 1));
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int high = i + 2 < text.size() ? hex_digit_value(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_digit_value(text[i + 2]) : -1;
    if (text[i] == '%' && high >= 0 && low >= 0) {
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace qa::util
