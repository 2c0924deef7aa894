#include <qa/http/listing_time.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

namespace qa::http {

namespace {

using std::chrono::system_clock;

// Read exactly `width` decimal digits of `text` at `at` into `value`; false otherwise.
bool digits(std::string_view text, std::size_t at, std::size_t width, int& value) {
  if (at + width > text.size()) {
    return false;
  }
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  const auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + at + width, value);
  return ec == std::errc() && ptr == text.data() + at + width;
}

// Return the time of a date and time of day in UTC, or nothing when one of them is out of range
// (a 31 February, a 25th hour; a leap second 60 is accepted as the next second).
std::optional<system_clock::time_point> utc_time(int year, int month, int day, int hour, int minute,
                                                 int second) {
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  return system_clock::time_point(std::chrono::sys_days(date)) + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second);
}

}  // namespace

Expected<system_clock::time_point> parse_rfc3339(std::string_view text) {
  const auto invalid = [&] { return fail("invalid time {}: not RFC 3339", quote(text)); };
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (text.size() < 20 || !digits(text, 0, 4, year) || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't') || !digits(text, 11, 2, hour) || text[13] != ':' ||
      !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
    return invalid();
  }
  std::size_t at = 19;
  if (text[at] == '.') {
    const std::size_t start = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      ++at;
    }
    if (at == start) {
      return invalid();
    }
  }
  const std::string_view zone = text.substr(at);
  std::chrono::minutes offset{0};
  if (zone != "Z" && zone != "z") {
    int hours = 0;
    int minutes = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !digits(zone, 1, 2, hours) ||
        zone[3] != ':' || !digits(zone, 4, 2, minutes) || hours > 23 || minutes > 59) {
      return invalid();
    }
    offset = std::chrono::hours(hours) + std::chrono::minutes(minutes);
    if (zone[0] == '-') {
      offset = -offset;
    }
  }
  const auto time = utc_time(year, month, day, hour, minute, second);
  if (!time) {
    return invalid();
  }
  return *time - offset;
}

Expected<system_clock::time_point> parse_http_date(std::string_view text) {
  const auto invalid = [&] { return fail("invalid date {}: not an HTTP date", quote(text)); };
  static constexpr std::array<std::string_view, 12> k_months{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // `Mon, 30 Nov 2026 18:00:00 GMT`: a fixed layout of 29 characters.
  int day = 0;
  int year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (text.size() != 29 || text.substr(3, 2) != ", " || !digits(text, 5, 2, day) ||
      text[7] != ' ' || text[11] != ' ' || !digits(text, 12, 4, year) || text[16] != ' ' ||
      !digits(text, 17, 2, hour) || text[19] != ':' || !digits(text, 20, 2, minute) ||
      text[22] != ':' || !digits(text, 23, 2, second) || text.substr(25) != " GMT") {
    return invalid();
  }
  const auto month = std::find(k_months.begin(), k_months.end(), text.substr(8, 3));
  if (month == k_months.end()) {
    return invalid();
  }
  const auto time =
      utc_time(year, static_cast<int>(month - k_months.begin()) + 1, day, hour, minute, second);
  if (!time) {
    return invalid();
  }
  return *time;
}

}  // namespace qa::http
