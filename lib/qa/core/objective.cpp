#include <qa/core/objective.hpp>

#include <algorithm>
#include <cmath>

#include <qa/core/yaml_json.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string>& loss_names() {
  static const std::vector<std::string> names = {
      "identity",       "shift",          "relative",        "relu_identity", "relu_shift",
      "relu_relative",  "square_identity", "square_shift",   "square_relative"};
  return names;
}

// Parse a loss name: prefixes `relu_` and `square_` (each at most once, any order), then the
// base. Nothing when the name is not of that form.
std::optional<Loss> parse_loss(const std::string& name) {
  const std::vector<std::string> parts = util::split(name, '_');
  Loss loss;
  const std::string& base = parts.back();
  if (base == "identity") {
    loss.base = LossBase::identity;
  } else if (base == "shift") {
    loss.base = LossBase::shift;
  } else if (base == "relative") {
    loss.base = LossBase::relative;
  } else {
    return std::nullopt;
  }
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    bool& flag = parts[i] == "relu" ? loss.relu : loss.square;
    if ((parts[i] != "relu" && parts[i] != "square") || flag) {
      return std::nullopt;
    }
    flag = true;
  }
  return loss;
}

// Parse a reduce name: sum, relu, or QA-Board's two-letter norms `l0`..`l9`.
std::optional<Reduce> parse_reduce(const std::string& name) {
  if (name == "sum") {
    return Reduce{ReduceKind::sum, 2};
  }
  if (name == "relu") {
    return Reduce{ReduceKind::relu, 2};
  }
  if (name.size() == 2 && (name[0] == 'l' || name[0] == 'L') && name[1] >= '0' && name[1] <= '9') {
    return Reduce{ReduceKind::norm, name[1] - '0'};
  }
  return std::nullopt;
}

Expected<double> number(const fs::path& file, const YAML::Node& node, const std::string& what) {
  const json value = node.IsScalar() ? yaml_to_json(node) : json();
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    return yaml_error(file, node,
                      fmt::format("{} must be a finite number, not {}", quote(what),
                                  quote(node.IsScalar() ? node.Scalar() : "a collection")));
  }
  return value.get<double>();
}

Expected<ObjectiveTerm> read_term(const std::string& metric, const YAML::Node& key,
                                  const YAML::Node& options, const fs::path& file,
                                  std::vector<YamlNotice>* notices) {
  ObjectiveTerm term;
  term.metric = metric;
  term.line = yaml_line(key);
  if (!options || options.IsNull()) {
    return term;
  }
  const std::string prefix = "objective." + metric;
  if (!options.IsMap()) {
    return yaml_error(file, options,
                      fmt::format("{} must be a map of weight, loss, reduce and margin",
                                  quote(prefix)));
  }
  YamlSchema schema;
  for (const char* option : {"weight", "loss", "reduce", "margin"}) {
    schema.keys[option] = YamlSchema{};
  }
  QA_TRY(check_yaml_keys(options, schema, file, prefix));
  if (const YAML::Node weight = options["weight"]; weight && !weight.IsNull()) {
    QA_TRY_ASSIGN(term.weight, number(file, weight, prefix + ".weight"));
  }
  if (const YAML::Node margin = options["margin"]; margin && !margin.IsNull()) {
    QA_TRY_ASSIGN(term.margin, number(file, margin, prefix + ".margin"));
  }
  if (const YAML::Node loss = options["loss"]; loss && !loss.IsNull()) {
    term.loss_name = loss.IsScalar() ? loss.Scalar() : "";
    const auto parsed = parse_loss(term.loss_name);
    if (!parsed) {
      return yaml_error(file, loss,
                        fmt::format("{}: unknown loss {} (identity, shift, relative, relu_X, "
                                    "square_X){}",
                                    quote(prefix + ".loss"), quote(term.loss_name),
                                    util::suggestion_suffix(term.loss_name, loss_names())));
    }
    term.loss = *parsed;
    if (term.loss.relu && term.loss.square && notices != nullptr) {
      notices->push_back(YamlNotice{
          prefix + ".loss",
          fmt::format("{}: line {}: loss {} is computed without its square, as QA-Board's code "
                      "does: relu(B + margin)",
                      quote(file.string()), yaml_line(loss), quote(term.loss_name))});
    }
  }
  if (const YAML::Node reduce = options["reduce"]; reduce && !reduce.IsNull()) {
    term.reduce_name = reduce.IsScalar() ? reduce.Scalar() : "";
    const auto parsed = parse_reduce(term.reduce_name);
    if (!parsed) {
      return yaml_error(
          file, reduce,
          fmt::format("{}: unknown reduce {} (sum, relu, l1, l2, ... l9){}",
                      quote(prefix + ".reduce"), quote(term.reduce_name),
                      util::suggestion_suffix(term.reduce_name, {"sum", "relu", "l1", "l2"})));
    }
    term.reduce = *parsed;
  }
  return term;
}

Expected<std::optional<TargetRef>> read_target(const YAML::Node& node, const fs::path& file) {
  if (!node || node.IsNull()) {
    return std::nullopt;
  }
  if (!node.IsMap()) {
    return yaml_error(file, node,
                      "\"objective.target\" must be a map: {branch: B | id: SHA | tag: T, "
                      "batch: LABEL}");
  }
  YamlSchema schema;
  for (const char* key : {"id", "branch", "tag", "batch"}) {
    schema.keys[key] = YamlSchema{};
  }
  QA_TRY(check_yaml_keys(node, schema, file, "objective.target"));
  for (const auto& item : node) {
    if (!item.second.IsScalar() || item.second.Scalar().empty()) {
      return yaml_error(file, item.second,
                        fmt::format("\"objective.target.{}\" must be a non-empty string",
                                    item.first.Scalar()));
    }
  }
  // QA-Board's precedence: id, then branch, then tag; `batch` alone keeps the metrics file's
  // targets.
  TargetRef ref;
  if (node["id"]) {
    ref.kind = TargetRef::Kind::commit;
    ref.revision = node["id"].Scalar();
  } else if (node["branch"]) {
    ref.kind = TargetRef::Kind::branch;
    ref.revision = node["branch"].Scalar();
  } else if (node["tag"]) {
    ref.kind = TargetRef::Kind::tag;
    ref.revision = node["tag"].Scalar();
  } else {
    return std::nullopt;
  }
  if (node["batch"]) {
    ref.label = node["batch"].Scalar();
  }
  return ref;
}

// Return the number `value` as Python's arithmetic reads it (a bool is 0 or 1), or nothing.
std::optional<double> numeric(const json& value) {
  if (value.is_boolean()) {
    return value.get<bool>() ? 1.0 : 0.0;
  }
  if (value.is_number()) {
    return value.get<double>();
  }
  return std::nullopt;
}

bool is_truthy(const json& value) {
  return (value.is_boolean() && value.get<bool>()) ||
         (value.is_number() && value.get<double>() != 0) ||
         (value.is_string() && !value.get<std::string>().empty());
}

}  // namespace

Expected<ObjectiveSpec> read_objective(const YAML::Node& node, const fs::path& file,
                                       std::vector<YamlNotice>* notices) {
  if (!node.IsMap() || node.size() == 0) {
    return yaml_error(file, node,
                      "\"objective\" must be a map of metric names to {weight, loss, reduce, "
                      "margin}");
  }
  ObjectiveSpec spec;
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    if (key == "target") {
      QA_TRY_ASSIGN(spec.target, read_target(item.second, file));
      continue;
    }
    QA_TRY_ASSIGN(auto term, read_term(key, item.first, item.second, file, notices));
    spec.terms.push_back(std::move(term));
  }
  if (spec.terms.empty()) {
    return yaml_error(file, node, "\"objective\" names no metric");
  }
  return spec;
}

Expected<void> check_objective_metrics(const ObjectiveSpec& spec, const MetricDefs& defs,
                                       const fs::path& file) {
  const auto& declared = defs.declared();
  for (const auto& term : spec.terms) {
    const bool known = std::find(declared.begin(), declared.end(), term.metric) != declared.end();
    if (!known && !is_builtin_metric(term.metric)) {
      return fail_as(ErrorKind::config,
                     "cannot read {}: line {}: objective metric {} is not in the metrics file{}",
                     quote(file.string()), term.line, quote(term.metric),
                     util::suggestion_suffix(term.metric, declared));
    }
    if (term.loss.uses_target() && !spec.target && !defs.get(term.metric).target) {
      return fail_as(ErrorKind::config,
                     "cannot read {}: line {}: loss {} of {} needs a target: set the metric's "
                     "\"target\" in the metrics file, or objective.target",
                     quote(file.string()), term.line, quote(term.loss_name), quote(term.metric));
    }
  }
  return {};
}

RunOutcome run_outcome(const RunRecord& record) {
  RunOutcome outcome;
  outcome.key = record.key;
  outcome.metrics = record.metrics;
  outcome.failed = record.status != RunStatus::ok && record.status != RunStatus::cached;
  return outcome;
}

double loss_of(const Loss& loss, double x, double target, double margin, bool smaller_is_better) {
  const double sign = smaller_is_better ? 1.0 : -1.0;
  double inner = 0;
  switch (loss.base) {
    case LossBase::identity:
      inner = x * sign;
      break;
    case LossBase::shift:
      inner = (x - target) * sign;
      break;
    case LossBase::relative:
      inner = (x - target) / target * sign;
      break;
  }
  if (loss.relu) {
    return std::max(inner + margin, 0.0);
  }
  if (loss.square) {
    return inner * inner;
  }
  return inner;
}

double reduce_of(const Reduce& reduce, const std::vector<double>& losses) {
  const auto n = static_cast<double>(losses.size());
  double sum = 0;
  switch (reduce.kind) {
    case ReduceKind::sum:
    case ReduceKind::relu:
      for (const double loss : losses) {
        sum += loss;
      }
      return (reduce.kind == ReduceKind::relu ? std::max(sum, 0.0) : sum) / n;
    case ReduceKind::norm:
      break;
  }
  if (reduce.order == 0) {
    return static_cast<double>(std::count_if(losses.begin(), losses.end(),
                                             [](double loss) { return loss != 0; })) /
           n;
  }
  const double p = reduce.order;
  for (const double loss : losses) {
    sum += std::pow(std::fabs(loss), p);
  }
  return std::pow(sum, 1.0 / p) / n;
}

Expected<ObjectiveValue> evaluate_objective(const ObjectiveSpec& spec, const MetricDefs& defs,
                                            const std::vector<RunOutcome>& runs) {
  ObjectiveValue result;
  for (const auto& term : spec.terms) {
    const MetricDef def = defs.get(term.metric);
    std::vector<double> losses;
    for (const auto& run : runs) {
      if (run.failed ||
          (run.metrics.is_object() && is_truthy(run.metrics.value("is_failed", json())))) {
        const std::string note = fmt::format("run {}: failed", quote(run.key));
        if (std::find(result.notes.begin(), result.notes.end(), note) == result.notes.end()) {
          result.notes.push_back(note);
        }
        continue;
      }
      const auto x = run.metrics.is_object() && run.metrics.contains(term.metric)
                         ? numeric(run.metrics[term.metric])
                         : std::nullopt;
      if (!x) {
        result.notes.push_back(
            fmt::format("run {}: no numeric value of {}", quote(run.key), quote(term.metric)));
        continue;
      }
      double target = 0;
      if (term.loss.uses_target()) {
        if (spec.target) {
          const auto reference = run.targets.is_object() && run.targets.contains(term.metric)
                                     ? numeric(run.targets[term.metric])
                                     : std::nullopt;
          if (!reference) {
            return fail_as(ErrorKind::no_reference,
                           "no target value of {} for run {} at {} (objective.target)",
                           quote(term.metric), quote(run.key), quote(spec.target->revision));
          }
          target = *reference;
        } else if (def.target) {
          target = *def.target;
        } else {
          return fail_as(ErrorKind::config,
                         "loss {} of {} needs a target, and the metrics file gives none",
                         quote(term.loss_name), quote(term.metric));
        }
        if (term.loss.base == LossBase::relative && target == 0) {
          result.notes.push_back(fmt::format("run {}: relative loss of {} with a target of 0",
                                             quote(run.key), quote(term.metric)));
          continue;
        }
      }
      losses.push_back(loss_of(term.loss, *x, target, term.margin, def.smaller_is_better));
    }
    if (losses.empty()) {
      return fail_as(ErrorKind::check_failed, "no run of the evaluation gives a loss for {}",
                     quote(term.metric));
    }
    const double value = term.weight * reduce_of(term.reduce, losses);
    result.terms[term.metric] += value;
    result.value += value;
  }
  return result;
}

}  // namespace qa::core
