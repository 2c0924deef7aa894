#pragma once

#include <chrono>
#include <string>

namespace qa::util {

// Return `time` as RFC 3339 in UTC with second precision: `2026-11-25T02:30:04Z`.
[[nodiscard]] std::string rfc3339(std::chrono::system_clock::time_point time);

// Return the name of this machine (gethostname), or "unknown".
[[nodiscard]] std::string host_name();

}  // namespace qa::util
