#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <qa/util/error.hpp>

namespace qa::util {

// Return `time` as RFC 3339 in UTC with second precision: `2026-11-25T02:30:04Z`.
[[nodiscard]] std::string rfc3339(std::chrono::system_clock::time_point time);

// Return the duration `text` names: a whole number and a unit, `d` (days), `h`, `m` or `s`
// (`1d`, `12h`, `30m`, `0s`); fail naming `text` otherwise (a usage error).
[[nodiscard]] Expected<std::chrono::seconds> parse_duration(std::string_view text);

// Return `bytes` for people: `512 B`, `1.5 KiB`, `3.2 MiB`, `1.0 GiB`.
[[nodiscard]] std::string human_bytes(std::uint64_t bytes);

// Return the name of this machine (gethostname), or "unknown".
[[nodiscard]] std::string host_name();

}  // namespace qa::util
