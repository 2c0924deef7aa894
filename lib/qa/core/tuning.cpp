#include <qa/core/tuning.hpp>

#include <cstdint>
#include <random>

#include <qa/core/matrix.hpp>
#include <qa/util/file.hpp>
#include <qa/util/json_depth.hpp>

namespace qa::core {

using nlohmann::json;

namespace {

Expected<std::vector<json>> grid_of(const json& space) {
  if (!space.is_object()) {
    return fail("invalid tuning search: \"parameter_search\" must be a map or a list of maps");
  }
  QA_TRY_ASSIGN(const auto combinations, expand_matrix(space));
  std::vector<json> points;
  for (const auto& combination : combinations) {
    points.push_back(combination.variables);
  }
  return points;
}

// A draw in [0, bound): the modulo of a 64-bit Mersenne Twister draw, whose sequence is
// the same on every platform (std distributions are not).
std::size_t draw(std::mt19937_64& rng, std::size_t bound) {
  return static_cast<std::size_t>(rng() % bound);
}

}  // namespace

Expected<std::vector<json>> tuning_points(const json& search) {
  if (!search.is_object() || !search.contains("parameter_search")) {
    return fail(
        "invalid tuning search: expected {{\"parameter_search\": ..., \"search_type\": "
        "\"grid\" | \"sampler\"}}");
  }
  const json& space = search["parameter_search"];
  const std::vector<json> spaces =
      space.is_array() ? std::vector<json>(space.begin(), space.end()) : std::vector<json>{space};
  if (spaces.empty()) {
    return fail("invalid tuning search: \"parameter_search\" is empty");
  }
  const std::string type = search.value("search_type", "grid");
  std::vector<json> points;
  if (type == "grid") {
    for (const auto& one : spaces) {
      QA_TRY_ASSIGN(const auto grid, grid_of(one));
      points.insert(points.end(), grid.begin(), grid.end());
      if (points.size() > k_max_plan_runs) {
        return fail("invalid tuning search: more than {} points: the plan is too large",
                    k_max_plan_runs);
      }
    }
    return points;
  }
  if (type != "sampler") {
    return fail("invalid tuning search: unknown search_type {} (use \"grid\" or \"sampler\")",
                quote(type));
  }
  const json options = search.value("search_options", json::object());
  if (!options.is_object()) {
    return fail("invalid tuning search: \"search_options\" must be a map");
  }
  const json n_iter = options.value("n_iter", json(10));
  const json seed = options.value("seed", json(0));
  if (!n_iter.is_number_integer() || n_iter.get<std::int64_t>() < 1) {
    return fail("invalid tuning search: \"n_iter\" must be a positive integer");
  }
  if (n_iter.get<std::int64_t>() > static_cast<std::int64_t>(k_max_plan_runs)) {
    return fail("invalid tuning search: \"n_iter\" {} is more than {}: the plan is too large",
                n_iter.get<std::int64_t>(), k_max_plan_runs);
  }
  if (!seed.is_number_integer()) {
    return fail("invalid tuning search: \"seed\" must be an integer");
  }
  for (const auto& one : spaces) {
    if (!one.is_object() || one.empty()) {
      return fail("invalid tuning search: each parameter space must be a non-empty map");
    }
  }
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed.get<std::int64_t>()));
  for (std::int64_t i = 0; i < n_iter.get<std::int64_t>(); ++i) {
    const json& chosen = spaces[spaces.size() == 1 ? 0 : draw(rng, spaces.size())];
    json point = json::object();
    for (const auto& [key, values] : chosen.items()) {
      if (values.is_array()) {
        if (values.empty()) {
          return fail("invalid tuning search: parameter {} has no values", quote(key));
        }
        point[key] = values[draw(rng, values.size())];
      } else {
        point[key] = values;
      }
    }
    points.push_back(std::move(point));
  }
  return points;
}

Expected<json> read_tuning_argument(std::string_view argument) {
  std::string text(argument);
  std::string origin = "--tuning-search";
  if (argument.starts_with("@")) {
    origin = std::string(argument.substr(1));
    QA_TRY_ASSIGN(text, util::read_file(origin));
  }
  QA_TRY(util::check_json_depth(text, origin));
  try {
    return json::parse(text);
  } catch (const json::exception& e) {  // a syntax error, or a number out of range
    return fail("invalid tuning search in {}: {}", quote(origin), e.what());
  }
}

}  // namespace qa::core
