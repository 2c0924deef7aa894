// The reader of optimization.hpp: a qa.optimization/1 document checked field by field.
#include <qa/core/optimization.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <qa/core/config.hpp>
#include <qa/core/run_key.hpp>
#include <qa/util/file.hpp>
#include <qa/util/json_depth.hpp>

namespace qa::core {

using nlohmann::json;

namespace {

// Reads the fields of one object of the document, naming the document and the field (with its
// path: "evaluations[2].status") in errors.
class Fields {
 public:
  Fields(const json& object, std::string_view origin, std::string prefix)
      : m_object(object), m_origin(origin), m_prefix(std::move(prefix)) {}

  [[nodiscard]] std::string path(std::string_view name) const {
    return m_prefix + std::string(name);
  }

  [[nodiscard]] tl::unexpected<Error> invalid(std::string_view name, std::string_view what) const {
    return fail_as(ErrorKind::config, "invalid optimization {}: {} {}", quote(m_origin),
                   quote(path(name)), what);
  }

  // Return the field `name`, null when absent.
  [[nodiscard]] const json& get(std::string_view name) const {
    static const json k_null = nullptr;
    const auto it = m_object.find(name);
    return it == m_object.end() ? k_null : *it;
  }

  [[nodiscard]] Expected<std::string> string(std::string_view name) const {
    const json& value = get(name);
    if (!value.is_string()) {
      return invalid(name, "must be a string");
    }
    return value.get<std::string>();
  }

  [[nodiscard]] Expected<std::optional<std::string>> optional_string(std::string_view name) const {
    if (get(name).is_null()) {
      return std::optional<std::string>();
    }
    QA_TRY_ASSIGN(auto text, string(name));
    return std::optional<std::string>(std::move(text));
  }

  [[nodiscard]] Expected<std::optional<double>> optional_number(std::string_view name) const {
    const json& value = get(name);
    if (value.is_null()) {
      return std::optional<double>();
    }
    if (!value.is_number() || !std::isfinite(value.get<double>())) {
      return invalid(name, "must be a number or null");
    }
    return std::optional<double>(value.get<double>());
  }

  [[nodiscard]] Expected<double> number(std::string_view name) const {
    QA_TRY_ASSIGN(const auto value, optional_number(name));
    if (!value) {
      return invalid(name, "must be a number");
    }
    return *value;
  }

  [[nodiscard]] Expected<std::optional<std::size_t>> optional_count(std::string_view name) const {
    const json& value = get(name);
    if (value.is_null()) {
      return std::optional<std::size_t>();
    }
    const bool whole =
        value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0);
    if (!whole) {
      return invalid(name, "must be a non-negative integer");
    }
    return std::optional<std::size_t>(value.get<std::size_t>());
  }

  [[nodiscard]] Expected<std::size_t> count(std::string_view name) const {
    QA_TRY_ASSIGN(const auto value, optional_count(name));
    if (!value) {
      return invalid(name, "must be a non-negative integer");
    }
    return *value;
  }

  [[nodiscard]] Expected<std::int64_t> integer(std::string_view name) const {
    const json& value = get(name);
    const bool fits = value.is_number_integer() &&
                      (!value.is_number_unsigned() ||
                       value.get<std::uint64_t>() <=
                           static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    if (!fits) {
      return invalid(name, "must be an integer");
    }
    return value.get<std::int64_t>();
  }

  // Return the object `name`; null is `null_as` (an error when that is not an object either).
  [[nodiscard]] Expected<json> object(std::string_view name, const json& null_as) const {
    const json& value = get(name).is_null() ? null_as : get(name);
    if (!value.is_object()) {
      return invalid(name, "must be an object");
    }
    return value;
  }

  [[nodiscard]] Expected<json> array(std::string_view name) const {
    const json& value = get(name);
    if (!value.is_array()) {
      return invalid(name, "must be a list");
    }
    return value;
  }

  [[nodiscard]] Expected<std::map<std::string, double>> numbers(std::string_view name) const {
    QA_TRY_ASSIGN(const json object, this->object(name, json::object()));
    std::map<std::string, double> result;
    for (const auto& [key, value] : object.items()) {
      if (!value.is_number() || !std::isfinite(value.get<double>())) {
        return invalid(fmt::format("{}.{}", name, key), "must be a number");
      }
      result.emplace(key, value.get<double>());
    }
    return result;
  }

  [[nodiscard]] Expected<std::vector<std::string>> strings(std::string_view name) const {
    QA_TRY_ASSIGN(const json list, array(name));
    std::vector<std::string> result;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) {
        return invalid(fmt::format("{}[{}]", name, i), "must be a string");
      }
      result.push_back(list[i].get<std::string>());
    }
    return result;
  }

  // Check the field `name` holding `value` with `check` (an Expected<void> of run_key.hpp).
  template <typename Check>
  [[nodiscard]] Expected<void> valid(std::string_view name, std::string_view value,
                                     Check check) const {
    if (auto valid = check(value); !valid) {
      return fail_as(ErrorKind::config, "invalid optimization {}: {}: {}", quote(m_origin),
                     quote(path(name)), valid.error().message);
    }
    return {};
  }

 private:
  const json& m_object;
  std::string_view m_origin;
  std::string m_prefix;
};

Expected<Dimension> dimension_from_json(const json& value, std::string_view origin,
                                        std::size_t index) {
  const std::string prefix = fmt::format("search_space[{}].", index);
  if (!value.is_object()) {
    return fail_as(ErrorKind::config, "invalid optimization {}: {} must be an object",
                   quote(origin), quote(prefix.substr(0, prefix.size() - 1)));
  }
  const Fields f(value, origin, prefix);
  Dimension dimension;
  QA_TRY_ASSIGN(dimension.name, f.string("name"));
  QA_TRY_ASSIGN(const std::string kind, f.string("kind"));
  if (kind == "categorical") {
    dimension.kind = DimensionKind::categorical;
    QA_TRY_ASSIGN(dimension.categories, f.array("categories"));
    if (dimension.categories.empty()) {
      return f.invalid("categories", "must not be empty");
    }
    return dimension;
  }
  if (kind != "real" && kind != "integer") {
    return f.invalid("kind", "must be real, integer or categorical");
  }
  dimension.kind = kind == "real" ? DimensionKind::real : DimensionKind::integer;
  QA_TRY_ASSIGN(dimension.low, f.number("low"));
  QA_TRY_ASSIGN(dimension.high, f.number("high"));
  if (!(dimension.low <= dimension.high)) {
    return f.invalid("low", "must not be above \"high\"");
  }
  QA_TRY_ASSIGN(const auto prior, f.optional_string("prior"));
  if (prior && *prior != "uniform" && *prior != "log-uniform") {
    return f.invalid("prior", "must be uniform or log-uniform");
  }
  if (prior && *prior == "log-uniform") {
    if (!(dimension.low > 0)) {
      return f.invalid("low", "must be positive with a log-uniform prior");
    }
    dimension.prior = Prior::log_uniform;
  }
  return dimension;
}

Expected<Evaluation> evaluation_from_json(const json& value, std::string_view origin,
                                          std::size_t index) {
  const std::string prefix = fmt::format("evaluations[{}].", index);
  if (!value.is_object()) {
    return fail_as(ErrorKind::config, "invalid optimization {}: {} must be an object",
                   quote(origin), quote(prefix.substr(0, prefix.size() - 1)));
  }
  const Fields f(value, origin, prefix);
  Evaluation evaluation;
  QA_TRY_ASSIGN(evaluation.number, f.count("evaluation"));
  if (evaluation.number == 0) {
    return f.invalid("evaluation", "must be 1 or more");
  }
  QA_TRY_ASSIGN(evaluation.label, f.string("label"));
  QA_TRY(f.valid("label", evaluation.label, check_label));
  QA_TRY_ASSIGN(evaluation.params, f.object("params", json::object()));
  QA_TRY_ASSIGN(evaluation.point, f.object("point", json::object()));
  QA_TRY_ASSIGN(const std::string status, f.string("status"));
  if (status == "ok") {
    evaluation.status = EvaluationStatus::ok;
  } else if (status == "failed") {
    evaluation.status = EvaluationStatus::failed;
  } else if (status == "interrupted") {
    evaluation.status = EvaluationStatus::interrupted;
  } else {
    return f.invalid("status", "must be ok, failed or interrupted");
  }
  QA_TRY_ASSIGN(evaluation.objective, f.optional_number("objective"));
  if (evaluation.status == EvaluationStatus::ok && !evaluation.objective) {
    return f.invalid("objective", "must be a number when the status is ok");
  }
  if (evaluation.status != EvaluationStatus::ok) {
    evaluation.objective.reset();
  }
  QA_TRY_ASSIGN(evaluation.terms, f.numbers("terms"));
  QA_TRY_ASSIGN(evaluation.aggregates, f.numbers("aggregates"));
  QA_TRY_ASSIGN(const json runs, f.object("runs", json::object()));
  const Fields r(runs, origin, prefix + "runs.");
  QA_TRY_ASSIGN(evaluation.runs.total, r.count("total"));
  QA_TRY_ASSIGN(evaluation.runs.ok, r.count("ok"));
  QA_TRY_ASSIGN(evaluation.runs.failed, r.count("failed"));
  if (!f.get("notes").is_null()) {
    QA_TRY_ASSIGN(evaluation.notes, f.strings("notes"));
  }
  return evaluation;
}

}  // namespace

Expected<Optimization> optimization_from_json(const json& value, std::string_view origin) {
  if (!value.is_object()) {
    return fail_as(ErrorKind::config, "invalid optimization {}: not a JSON object", quote(origin));
  }
  const Fields f(value, origin, "");
  QA_TRY_ASSIGN(const std::string schema, f.string("schema"));
  if (schema != k_optimization_schema) {
    return f.invalid("schema",
                     fmt::format("is {}, not {}", quote(schema), quote(k_optimization_schema)));
  }
  Optimization result;
  QA_TRY_ASSIGN(result.project, f.string("project"));
  QA_TRY(f.valid("project", result.project, check_project_name));
  QA_TRY_ASSIGN(result.commit, f.string("commit"));
  QA_TRY(f.valid("commit", result.commit, check_commit_key));
  QA_TRY_ASSIGN(result.base_label, f.string("base_label"));
  QA_TRY(f.valid("base_label", result.base_label, check_label));
  QA_TRY_ASSIGN(result.file, f.string("file"));
  QA_TRY_ASSIGN(result.solver, f.string("solver"));
  QA_TRY_ASSIGN(const std::int64_t seed, f.integer("seed"));
  result.seed = static_cast<std::uint64_t>(seed);
  QA_TRY_ASSIGN(result.budget, f.count("budget"));
  QA_TRY_ASSIGN(result.parallel, f.count("parallel"));
  if (result.parallel == 0) {
    return f.invalid("parallel", "must be 1 or more");
  }
  QA_TRY_ASSIGN(result.objective, f.optional_number("objective"));
  if (!f.get("params").is_null()) {
    QA_TRY_ASSIGN(result.params, f.object("params", json::object()));
  }
  QA_TRY_ASSIGN(result.evaluation, f.optional_count("evaluation"));
  QA_TRY_ASSIGN(result.label, f.optional_string("label"));
  const bool any =
      result.objective || !result.params.is_null() || result.evaluation || result.label;
  const bool all =
      result.objective && !result.params.is_null() && result.evaluation && result.label;
  if (any != all) {
    return fail_as(ErrorKind::config,
                   "invalid optimization {}: \"objective\", \"params\", \"evaluation\" and "
                   "\"label\" must all be set or all be null",
                   quote(origin));
  }
  QA_TRY_ASSIGN(result.metrics, f.strings("metrics"));

  QA_TRY_ASSIGN(const json space, f.array("search_space"));
  std::set<std::string, std::less<>> names;
  for (std::size_t i = 0; i < space.size(); ++i) {
    QA_TRY_ASSIGN(auto dimension, dimension_from_json(space[i], origin, i));
    if (!names.insert(dimension.name).second) {
      return f.invalid(fmt::format("search_space[{}].name", i),
                       fmt::format("repeats {}", quote(dimension.name)));
    }
    result.search_space.push_back(std::move(dimension));
  }

  QA_TRY_ASSIGN(const json evaluations, f.array("evaluations"));
  std::set<std::size_t> numbers;
  for (std::size_t i = 0; i < evaluations.size(); ++i) {
    QA_TRY_ASSIGN(auto evaluation, evaluation_from_json(evaluations[i], origin, i));
    if (!numbers.insert(evaluation.number).second) {
      return f.invalid(fmt::format("evaluations[{}].evaluation", i),
                       fmt::format("repeats {}", evaluation.number));
    }
    result.evaluations.push_back(std::move(evaluation));
  }
  std::sort(result.evaluations.begin(), result.evaluations.end(),
            [](const Evaluation& a, const Evaluation& b) { return a.number < b.number; });

  if (result.evaluation) {
    QA_TRY(f.valid("label", *result.label, check_label));
    const Evaluation* best = result.best();
    if (best == nullptr) {
      return f.invalid("evaluation", fmt::format("names {}, which is not among the evaluations",
                                                 *result.evaluation));
    }
    if (best->label != *result.label || best->status != EvaluationStatus::ok) {
      return f.invalid("label",
                       fmt::format("is {}, but evaluation {} is {} ({})", quote(*result.label),
                                   best->number, quote(best->label), to_string(best->status)));
    }
  }

  QA_TRY_ASSIGN(const json best_runs, f.object("best_runs", json::object()));
  for (const auto& [key, plain] : best_runs.items()) {
    const std::string field = fmt::format("best_runs.{}", key);
    if (!plain.is_string()) {
      return f.invalid(field, "must be a string");
    }
    const std::string plain_key = plain.get<std::string>();
    QA_TRY(f.valid(field, key, check_run_key));
    QA_TRY(f.valid(field, plain_key, check_run_key));
    if (!result.label || !key.starts_with(*result.label + "/")) {
      return f.invalid(field, fmt::format("is not a run of the best evaluation ({})",
                                          result.label ? quote(*result.label) : "none"));
    }
    if (!plain_key.starts_with(result.base_label + "/")) {
      return f.invalid(
          field, fmt::format("must name a run of the base label {}", quote(result.base_label)));
    }
    result.best_runs.emplace(key, plain_key);
  }
  result.document = value;
  return result;
}

Expected<Optimization> read_optimization(const std::filesystem::path& file) {
  const std::string origin = file.string();
  QA_TRY_ASSIGN(const std::string text, util::read_file(file));
  QA_TRY(util::check_json_depth(text, origin));
  const json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return fail_as(ErrorKind::config, "invalid optimization {}: not valid JSON", quote(origin));
  }
  return optimization_from_json(value, origin);
}

}  // namespace qa::core
