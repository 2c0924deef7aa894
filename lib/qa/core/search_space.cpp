#include <qa/core/search_space.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include <qa/core/yaml_json.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view k_skopt_only = "it tunes scikit-optimize's model, not the search";

// Where a dimension is, for messages: `search_space[1] ("sigma")`.
std::string where(std::size_t index, const std::string& name) {
  return name.empty() ? fmt::format("search_space[{}]", index)
                      : fmt::format("search_space[{}] ({})", index, quote(name));
}

Expected<double> number(const fs::path& file, const YAML::Node& node, const std::string& what) {
  const json value = node.IsScalar() ? yaml_to_json(node) : json();
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    return yaml_error(file, node,
                      fmt::format("{} must be a finite number, not {}", what,
                                  quote(node.IsScalar() ? node.Scalar() : "a collection")));
  }
  return value.get<double>();
}

// The keys each kind takes, lowercase; the ignored ones say so in a notice.
const std::vector<std::string>& keys_of(DimensionKind kind) {
  static const std::vector<std::string> bounded = {"name", "low",       "high", "prior",
                                                   "base", "transform", "dtype"};
  static const std::vector<std::string> categorical = {"name", "categories", "prior", "transform"};
  return kind == DimensionKind::categorical ? categorical : bounded;
}

bool is_ignored(DimensionKind kind, const std::string& key) {
  if (kind == DimensionKind::categorical) {
    return key == "prior" || key == "transform";
  }
  return key == "base" || key == "transform" || key == "dtype";
}

Expected<Dimension> read_dimension(const YAML::Node& item, std::size_t index, const fs::path& file,
                                   std::vector<YamlNotice>* notices) {
  if (!item.IsMap() || item.size() != 1) {
    return yaml_error(
        file, item,
        fmt::format("{} must be a one-key map: Real, Integer or Categorical", where(index, {})));
  }
  const auto entry = item.begin();
  const std::string kind_name = entry->first.Scalar();
  const std::string lower_kind = util::to_lower(kind_name);
  Dimension dim;
  dim.line = yaml_line(entry->first);
  if (lower_kind == "real") {
    dim.kind = DimensionKind::real;
  } else if (lower_kind == "integer") {
    dim.kind = DimensionKind::integer;
  } else if (lower_kind == "categorical") {
    dim.kind = DimensionKind::categorical;
  } else {
    return yaml_error(
        file, entry->first,
        fmt::format("{}: unknown dimension kind {} (use Real, Integer or Categorical){}",
                    where(index, {}), quote(kind_name),
                    util::suggestion_suffix(lower_kind, {"real", "integer", "categorical"})));
  }
  const YAML::Node options = entry->second;
  if (!options.IsMap()) {
    return yaml_error(
        file, options.IsDefined() && !options.IsNull() ? options : entry->first,
        fmt::format("{} ({}) must be a map with at least a \"name\"", where(index, {}), kind_name));
  }
  // Keys are case-insensitive, as in scikit-optimize: collect them lowercased.
  std::map<std::string, YAML::Node, std::less<>> values;
  const auto& known = keys_of(dim.kind);
  for (const auto& option : options) {
    const std::string key = util::to_lower(option.first.Scalar());
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return yaml_error(file, option.first,
                        fmt::format("{}: unknown key {} for a {}{}", where(index, {}),
                                    quote(option.first.Scalar()), kind_name,
                                    util::suggestion_suffix(key, known)));
    }
    if (!values.emplace(key, option.second).second) {
      return yaml_error(file, option.first,
                        fmt::format("{}: key {} given twice", where(index, {}), quote(key)));
    }
    if (is_ignored(dim.kind, key) && notices != nullptr) {
      notices->push_back(
          YamlNotice{fmt::format("search_space.{}", key),
                     fmt::format("{}: line {}: {}.{} is ignored ({})", quote(file.string()),
                                 yaml_line(option.first), where(index, {}), key, k_skopt_only)});
    }
  }
  const auto name = values.find("name");
  if (name == values.end() || !name->second.IsScalar() || name->second.Scalar().empty()) {
    return yaml_error(file, name == values.end() ? entry->first : name->second,
                      fmt::format("{} ({}) needs a \"name\": the parameter it sets",
                                  where(index, {}), kind_name));
  }
  dim.name = name->second.Scalar();
  const std::string at = where(index, dim.name);

  if (dim.kind == DimensionKind::categorical) {
    const auto categories = values.find("categories");
    if (categories == values.end() || !categories->second.IsSequence() ||
        categories->second.size() == 0) {
      return yaml_error(file, categories == values.end() ? entry->first : categories->second,
                        fmt::format("{} needs \"categories\": a non-empty list", at));
    }
    for (const auto& category : categories->second) {
      json value = yaml_to_json(category);
      for (const auto& seen : dim.categories) {
        if (seen == value) {
          return yaml_error(file, category,
                            fmt::format("{}: category {} is listed twice", at, value.dump()));
        }
      }
      dim.categories.push_back(std::move(value));
    }
    return dim;
  }

  const auto low = values.find("low");
  const auto high = values.find("high");
  if (low == values.end() || high == values.end()) {
    return yaml_error(file, entry->first, fmt::format("{} needs both \"low\" and \"high\"", at));
  }
  QA_TRY_ASSIGN(dim.low, number(file, low->second, at + ".low"));
  QA_TRY_ASSIGN(dim.high, number(file, high->second, at + ".high"));
  if (dim.kind == DimensionKind::integer) {
    const auto whole = [](double value) {
      return value == std::floor(value) && std::fabs(value) <= k_max_integer_bound;
    };
    if (!whole(dim.low) || !whole(dim.high)) {
      return yaml_error(
          file, whole(dim.low) ? high->second : low->second,
          fmt::format("{}: the bounds of an Integer must be whole numbers of at most 2^53", at));
    }
  }
  if (!(dim.low < dim.high)) {
    return yaml_error(file, high->second,
                      fmt::format("{}: \"low\" ({}) must be below \"high\" ({})", at,
                                  low->second.Scalar(), high->second.Scalar()));
  }
  if (const auto prior = values.find("prior"); prior != values.end()) {
    const std::string text = prior->second.IsScalar() ? prior->second.Scalar() : "";
    if (text == "log-uniform") {
      dim.prior = Prior::log_uniform;
    } else if (text != "uniform") {
      return yaml_error(
          file, prior->second,
          fmt::format("{}: unknown prior {} (use uniform or log-uniform){}", at, quote(text),
                      util::suggestion_suffix(text, {"uniform", "log-uniform"})));
    }
  }
  if (dim.prior == Prior::log_uniform && dim.low <= 0) {
    return yaml_error(file, low->second,
                      fmt::format("{}: prior log-uniform needs a positive \"low\", not {}", at,
                                  low->second.Scalar()));
  }
  return dim;
}

}  // namespace

Expected<SearchSpace> read_search_space(const YAML::Node& node, const fs::path& file,
                                        std::vector<YamlNotice>* notices) {
  if (!node.IsSequence() || node.size() == 0) {
    return yaml_error(file, node,
                      "\"search_space\" must be a non-empty list of dimensions (- Real: ..., - "
                      "Integer: ..., - Categorical: ...)");
  }
  SearchSpace space;
  std::set<std::string, std::less<>> names;
  std::size_t index = 0;
  for (const auto& item : node) {
    QA_TRY_ASSIGN(auto dim, read_dimension(item, index, file, notices));
    if (!names.insert(dim.name).second) {
      return yaml_error(file, item,
                        fmt::format("{}: the name {} is used by an earlier dimension",
                                    where(index, {}), quote(dim.name)));
    }
    space.dimensions.push_back(std::move(dim));
    ++index;
  }
  return space;
}

SolverBounds solver_bounds(const Dimension& dimension) {
  switch (dimension.kind) {
    case DimensionKind::categorical:
      return {0, static_cast<double>(dimension.categories.size()) - 1, true};
    case DimensionKind::integer:
      if (dimension.prior == Prior::log_uniform) {
        return {std::log(dimension.low), std::log(dimension.high), false};
      }
      return {dimension.low, dimension.high, true};
    case DimensionKind::real:
      break;
  }
  if (dimension.prior == Prior::log_uniform) {
    return {std::log(dimension.low), std::log(dimension.high), false};
  }
  return {dimension.low, dimension.high, false};
}

bool is_fixed(const Dimension& dimension) {
  return dimension.kind == DimensionKind::categorical && dimension.categories.size() == 1;
}

json value_at(const Dimension& dimension, double coordinate) {
  const SolverBounds bounds = solver_bounds(dimension);
  const double c =
      std::isnan(coordinate) ? bounds.lower : std::clamp(coordinate, bounds.lower, bounds.upper);
  const bool log = dimension.prior == Prior::log_uniform;
  switch (dimension.kind) {
    case DimensionKind::categorical:
      return dimension.categories[static_cast<std::size_t>(std::llround(c))];
    case DimensionKind::integer: {
      const double value =
          std::clamp(std::round(log ? std::exp(c) : c), dimension.low, dimension.high);
      return static_cast<std::int64_t>(value);
    }
    case DimensionKind::real:
      break;
  }
  // Rounded for readable keys and reports, then kept inside the bounds (exp(ln x), like the
  // rounding, may land a step outside them).
  const double value = log ? std::exp(c) : c;
  const double rounded =
      std::strtod(fmt::format("{:.{}g}", value, k_real_significant_digits).c_str(), nullptr);
  return std::clamp(rounded, dimension.low, dimension.high);
}

Expected<double> coordinate_of(const Dimension& dimension, const json& value) {
  if (dimension.kind == DimensionKind::categorical) {
    for (std::size_t i = 0; i < dimension.categories.size(); ++i) {
      if (dimension.categories[i] == value) {
        return static_cast<double>(i);
      }
    }
    return fail_as(ErrorKind::config, "parameter {}: {} is not one of its categories",
                   quote(dimension.name), value.dump());
  }
  if (!value.is_number()) {
    return fail_as(ErrorKind::config, "parameter {}: {} is not a number", quote(dimension.name),
                   value.dump());
  }
  const double number = value.get<double>();
  if (!(number >= dimension.low && number <= dimension.high) ||
      (dimension.kind == DimensionKind::integer && number != std::floor(number))) {
    return fail_as(ErrorKind::config, "parameter {}: {} is outside its search space",
                   quote(dimension.name), value.dump());
  }
  return dimension.prior == Prior::log_uniform ? std::log(number) : number;
}

json params_at(const SearchSpace& space, const std::vector<double>& coordinates,
               const json& preset) {
  json params = preset.is_object() ? preset : json::object();
  for (std::size_t i = 0; i < space.dimensions.size(); ++i) {
    const Dimension& dim = space.dimensions[i];
    params[dim.name] = i < coordinates.size() ? value_at(dim, coordinates[i]) : value_at(dim, 0);
  }
  return params;
}

}  // namespace qa::core
