// Fuzz the --tuning-search argument: inline JSON only (an input starting with '@' would name a
// file to read, so it is skipped), then the parameter points of a search small enough to list.

#include <qa/core/tuning.hpp>

#include <algorithm>
#include <cstdint>

#include "fuzz_target.hpp"

namespace {

// The most points a search may give to be listed: a grid's size grows as the product of its
// lists and a sampler's as n_iter, so a few bytes can ask for billions.
constexpr std::uint64_t k_max_points = 4096;

// Return whether `search` gives at most k_max_points points (or is malformed: an error is cheap).
bool is_small(const nlohmann::json& search) {
  if (!search.is_object()) {
    return true;
  }
  if (const auto options = search.find("search_options");
      options != search.end() && options->is_object()) {
    if (const auto n_iter = options->find("n_iter");
        n_iter != options->end() && n_iter->is_number_integer() &&
        n_iter->get<std::int64_t>() > static_cast<std::int64_t>(k_max_points)) {
      return false;
    }
  }
  const auto space = search.find("parameter_search");
  if (space == search.end()) {
    return true;
  }
  const auto grid_size = [](const nlohmann::json& one) {
    std::uint64_t points = 1;
    if (one.is_object()) {
      for (const auto& values : one) {
        const std::uint64_t count = values.is_array() ? values.size() : 1;
        points = count == 0 ? 0 : std::min(points * count, k_max_points + 1);
      }
    }
    return points;
  };
  std::uint64_t total = 0;
  if (space->is_array()) {
    for (const auto& one : *space) {
      total += grid_size(one);
    }
  } else {
    total = grid_size(*space);
  }
  return total <= k_max_points;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = qa::fuzz::as_text(data, size);
  if (text.starts_with("@")) {
    return 0;
  }
  const auto search = qa::core::read_tuning_argument(text);
  if (search && is_small(*search)) {
    [[maybe_unused]] const auto points = qa::core::tuning_points(*search);
  }
  return 0;
}
