#include <qa/core/optimize_spec.hpp>

#include <limits>

#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>

namespace qa::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view k_skopt_model =
    "scikit-optimize's setting: qatools searches with dlib's global_function_search";

const YamlSchema& file_schema() {
  static const YamlSchema schema = [] {
    const YamlSchema any;
    YamlSchema s;
    s.keys["evaluations"] = any;
    s.keys["parallel_sampling"] = any;
    s.keys["objective"] = YamlSchema{{}, true, {}};  // metric names: read_objective checks them
    s.keys["search_space"] = any;
    s.keys["preset_params"] = YamlSchema{{}, true, {}};
    YamlSchema solver;
    for (const char* key : {"seed", "random_state", "n_initial_points"}) {
      solver.keys[key] = any;
    }
    for (const char* key :
         {"name", "base_estimator", "acq_func", "acq_funcstring", "acq_optimizer",
          "acq_func_kwargs", "acq_optimizer_kwargs", "initial_point_generator", "n_jobs",
          "model_queue_size", "n_restarts_optimizer", "xi", "kappa", "n_points", "noise"}) {
      solver.keys[key] = ignored_key(k_skopt_model);
    }
    s.keys["solver"] = solver;
    return s;
  }();
  return schema;
}

// Return the positive integer at `node` (at most `max`), or an error naming `what`.
Expected<std::int64_t> integer(const fs::path& file, const YAML::Node& node, std::string_view what,
                               std::int64_t min, std::int64_t max) {
  const json value = node.IsScalar() ? yaml_to_json(node) : json();
  if (!value.is_number_integer() || value.get<std::int64_t>() < min ||
      value.get<std::int64_t>() > max) {
    return yaml_error(file, node,
                      fmt::format("{} must be a whole number from {} to {}, not {}", quote(what),
                                  min, max,
                                  quote(node.IsScalar() ? node.Scalar() : "a collection")));
  }
  return value.get<std::int64_t>();
}

Expected<SolverOptions> read_solver(const YAML::Node& node, const fs::path& file) {
  SolverOptions options;
  if (!node || node.IsNull()) {
    return options;
  }
  if (!node.IsMap()) {
    return yaml_error(file, node, "\"solver\" must be a map (random_state, n_initial_points)");
  }
  constexpr std::int64_t k_any = std::numeric_limits<std::int64_t>::max();
  // `seed` wins over scikit-optimize's `random_state` when both are given.
  for (const char* key : {"random_state", "seed"}) {
    if (const YAML::Node seed = node[key]; seed && !seed.IsNull()) {
      QA_TRY_ASSIGN(options.seed,
                    integer(file, seed, std::string("solver.") + key, -k_any, k_any));
    }
  }
  if (const YAML::Node initial = node["n_initial_points"]; initial && !initial.IsNull()) {
    QA_TRY_ASSIGN(const auto count, integer(file, initial, "solver.n_initial_points", 1,
                                            static_cast<std::int64_t>(k_max_evaluations)));
    options.initial_points = static_cast<std::size_t>(count);
  }
  return options;
}

}  // namespace

Expected<OptimizeSpec> load_optimize_spec(const fs::path& file, std::vector<std::string>* notices) {
  QA_TRY_ASSIGN(const YAML::Node root, load_yaml_file(file));
  if (!root.IsMap()) {
    return yaml_error(file, root,
                      "an optimization file must be a map (evaluations, objective, "
                      "search_space, ...)");
  }
  std::vector<YamlNotice> found;
  QA_TRY(check_yaml_keys(root, file_schema(), file, {}, &found));
  OptimizeSpec spec;
  spec.file = file;
  // QA-Board's order of checks: objective, then evaluations.
  const YAML::Node objective = root["objective"];
  if (!objective || objective.IsNull()) {
    return yaml_error(file, root, "the optimization file must give an \"objective\"");
  }
  const YAML::Node evaluations = root["evaluations"];
  if (!evaluations || evaluations.IsNull()) {
    return yaml_error(file, root, "the optimization file must give an \"evaluations\" budget");
  }
  QA_TRY_ASSIGN(const auto budget,
                integer(file, evaluations, "evaluations", 1,
                        static_cast<std::int64_t>(k_max_evaluations)));
  spec.evaluations = static_cast<std::size_t>(budget);
  if (const YAML::Node parallel = root["parallel_sampling"]; parallel && !parallel.IsNull()) {
    QA_TRY_ASSIGN(const auto count, integer(file, parallel, "parallel_sampling", 1, 1024));
    spec.parallel_sampling = static_cast<std::size_t>(count);
  }
  QA_TRY_ASSIGN(spec.objective, read_objective(objective, file, &found));
  const YAML::Node space = root["search_space"];
  if (!space || space.IsNull()) {
    return yaml_error(file, root, "the optimization file must give a \"search_space\"");
  }
  QA_TRY_ASSIGN(spec.search_space, read_search_space(space, file, &found));
  if (const YAML::Node preset = root["preset_params"]; preset && !preset.IsNull()) {
    if (!preset.IsMap()) {
      return yaml_error(file, preset, "\"preset_params\" must be a map of parameter values");
    }
    spec.preset_params = yaml_to_json(preset);
  }
  QA_TRY_ASSIGN(spec.solver, read_solver(root["solver"], file));
  if (notices != nullptr) {
    for (auto& notice : found) {
      notices->push_back(std::move(notice.message));
    }
  }
  return spec;
}

}  // namespace qa::core
