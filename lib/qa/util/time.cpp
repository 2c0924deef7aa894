#include <qa/util/time.hpp>

#include <fmt/core.h>
#include <unistd.h>

#include <charconv>
#include <ctime>
#include <limits>

namespace qa::util {

std::string rfc3339(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

Expected<std::chrono::seconds> parse_duration(std::string_view text) {
  const auto invalid = [&] {
    return fail_as(ErrorKind::usage,
                   "invalid duration {}: expected a whole number and a unit, d, h, m or s (e.g. "
                   "\"1d\", \"12h\", \"30m\", \"0s\")",
                   quote(text));
  };
  if (text.size() < 2) {
    return invalid();
  }
  std::int64_t unit = 0;
  switch (text.back()) {
    case 'd':
      unit = 86400;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'm':
      unit = 60;
      break;
    case 's':
      unit = 1;
      break;
    default:
      return invalid();
  }
  const std::string_view digits = text.substr(0, text.size() - 1);
  std::int64_t count = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (ec != std::errc() || end != digits.data() + digits.size() || count < 0 ||
      count > std::numeric_limits<std::int64_t>::max() / unit / 1'000'000'000) {
    return invalid();
  }
  return std::chrono::seconds(count * unit);
}

std::string human_bytes(std::uint64_t bytes) {
  if (bytes < 1024) {
    return fmt::format("{} B", bytes);
  }
  constexpr const char* k_units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(k_units)) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, k_units[unit]);
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') {
    return "unknown";
  }
  return name;
}

}  // namespace qa::util
