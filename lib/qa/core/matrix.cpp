#include <qa/core/matrix.hpp>

#include <charconv>
#include <string>

#include <qa/core/placeholders.hpp>

namespace qa::core {

namespace {

constexpr std::string_view k_open = "${matrix.";

bool is_config_dimension(const std::string& key) {
  return key == "configurations" || key == "configs";
}

// Evaluate `expression` ("KEY", "KEY[0]", "KEY[field]", "KEY.field.sub") against `variables`.
Expected<nlohmann::json> evaluate(std::string_view expression, const nlohmann::json& variables) {
  std::size_t pos = 0;
  auto read_name = [&] {
    const std::size_t start = pos;
    while (pos < expression.size() && expression[pos] != '.' && expression[pos] != '[') {
      ++pos;
    }
    return std::string(expression.substr(start, pos - start));
  };
  const std::string key = read_name();
  if (key.empty() || !variables.contains(key)) {
    return fail("undefined matrix variable {} in \"${{matrix.{}}}\"", quote(key), expression);
  }
  const nlohmann::json* node = &variables[key];
  while (pos < expression.size()) {
    std::string field;
    if (expression[pos] == '.') {
      ++pos;
      field = read_name();
    } else {
      const std::size_t close = expression.find(']', pos);
      if (close == std::string_view::npos) {
        return fail("unclosed \"[\" in \"${{matrix.{}}}\"", expression);
      }
      field = std::string(expression.substr(pos + 1, close - pos - 1));
      pos = close + 1;
    }
    if (node->is_array()) {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), index);
      if (ec != std::errc() || end != field.data() + field.size() || index >= node->size()) {
        return fail("no item {} in matrix variable {} (\"${{matrix.{}}}\")", quote(field),
                    quote(key), expression);
      }
      node = &(*node)[index];
    } else if (node->is_object() && node->contains(field)) {
      node = &(*node)[field];
    } else {
      return fail("no field {} in matrix variable {} (\"${{matrix.{}}}\")", quote(field),
                  quote(key), expression);
    }
  }
  return *node;
}

Expected<nlohmann::json> substitute_string(const std::string& text,
                                           const nlohmann::json& variables) {
  if (text.find(k_open) == std::string::npos) {
    return text;
  }
  if (text.starts_with(k_open) && text.ends_with('}') &&
      text.find('}') == text.size() - 1) {
    return evaluate(std::string_view(text).substr(k_open.size(),
                                                  text.size() - k_open.size() - 1),
                    variables);
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find(k_open, pos);
    if (start == std::string::npos) {
      out.append(text, pos);
      break;
    }
    const std::size_t close = text.find('}', start);
    if (close == std::string::npos) {
      return fail("unclosed \"${{matrix.\" in {}", quote(text));
    }
    out.append(text, pos, start - pos);
    QA_TRY_ASSIGN(const auto value,
                  evaluate(std::string_view(text).substr(start + k_open.size(),
                                                         close - start - k_open.size()),
                           variables));
    out += param_text(value);
    pos = close + 1;
  }
  return out;
}

}  // namespace

Expected<std::vector<MatrixCombination>> expand_matrix(const nlohmann::json& matrix) {
  std::vector<MatrixCombination> combinations(1);
  if (matrix.is_null()) {
    return combinations;
  }
  if (!matrix.is_object()) {
    return fail("\"matrix\" must be a map of variable -> list of values");
  }
  std::size_t total = 1;
  for (const auto& [key, raw_values] : matrix.items()) {
    const std::size_t size = raw_values.is_array() ? raw_values.size() : 1;
    if (size > 0 && total > k_max_plan_runs / size) {
      double product = 1;
      for (const auto& [unused, values] : matrix.items()) {
        product *= static_cast<double>(values.is_array() ? values.size() : 1);
      }
      return fail("the matrix gives {:.0f} combinations, more than {}: the plan is too large",
                  product, k_max_plan_runs);
    }
    total *= size;
  }
  // nlohmann objects iterate in sorted key order: the first key varies slowest.
  for (const auto& [key, raw_values] : matrix.items()) {
    const nlohmann::json values = raw_values.is_array() ? raw_values : nlohmann::json::array({raw_values});
    if (values.empty()) {
      return fail("matrix variable {} has no values", quote(key));
    }
    std::vector<MatrixCombination> next;
    next.reserve(combinations.size() * values.size());
    for (const auto& combination : combinations) {
      for (const auto& value : values) {
        MatrixCombination extended = combination;
        if (is_config_dimension(key)) {
          const nlohmann::json list = value.is_array() ? value : nlohmann::json::array({value});
          for (const auto& config : list) {
            extended.configs.push_back(config);
          }
        } else {
          extended.variables[key] = value;
        }
        next.push_back(std::move(extended));
      }
    }
    combinations = std::move(next);
  }
  return combinations;
}

Expected<nlohmann::json> substitute_matrix(const nlohmann::json& value,
                                           const nlohmann::json& variables) {
  if (value.is_string()) {
    return substitute_string(value.get<std::string>(), variables);
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) {
      QA_TRY_ASSIGN(auto substituted, substitute_matrix(item, variables));
      out.push_back(std::move(substituted));
    }
    return out;
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, item] : value.items()) {
      QA_TRY_ASSIGN(auto substituted, substitute_matrix(item, variables));
      out[key] = std::move(substituted);
    }
    return out;
  }
  return value;
}

}  // namespace qa::core
