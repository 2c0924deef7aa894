#include <qa/core/yaml_json.hpp>

#include <qa/core/params.hpp>

#include <charconv>
#include <string>

namespace qa::core {

namespace {

// Hand-written matchers rather than std::regex: faster per scalar, and GCC 12's <regex> breaks
// the -Werror build with sanitizers (a false -Wmaybe-uninitialized).

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Skip the digits of `text` from `pos`; return how many there were.
std::size_t skip_digits(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < text.size() && is_digit(text[pos])) {
    ++pos;
  }
  return pos - start;
}

// `[-+]?[0-9]+`
bool is_integer(std::string_view text) {
  std::size_t pos = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  return skip_digits(text, pos) > 0 && pos == text.size();
}

// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
bool is_float(std::string_view text) {
  std::size_t pos = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (skip_digits(text, pos) == 0) {
      return false;
    }
  } else {
    if (skip_digits(text, pos) == 0) {
      return false;
    }
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      skip_digits(text, pos);
    }
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
      ++pos;
    }
    if (skip_digits(text, pos) == 0) {
      return false;
    }
  }
  return pos == text.size();
}

}  // namespace

nlohmann::json parse_yaml_scalar(std::string_view view) {
  const std::string text(view);
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") {
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    return false;
  }
  if (is_integer(text)) {
    std::int64_t value = 0;
    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) {
      return value;
    }
    return text;  // out of range: keep the digits as written
  }
  if (is_float(text)) {
    double value = 0;
    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) {
      return value;
    }
    return text;  // out of range: keep the digits as written
  }
  return text;
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& item : node) {
        object[item.first.Scalar()] = yaml_to_json(item.second);
      }
      return object;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& item : node) {
        array.push_back(yaml_to_json(item));
      }
      return array;
    }
    case YAML::NodeType::Scalar:
      return node.Tag() == "!" ? nlohmann::json(node.Scalar()) : parse_yaml_scalar(node.Scalar());
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

YAML::Node yaml_first_of(const YAML::Node& node, std::initializer_list<const char*> keys) {
  if (node && node.IsMap()) {
    for (const char* key : keys) {
      if (node[key]) {
        return node[key];
      }
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

nlohmann::json yaml_configs(const YAML::Node& node) {
  nlohmann::json out = nlohmann::json::array();
  if (node && node.IsDefined()) {
    flatten_configs(yaml_to_json(node), out);
  }
  return out;
}

}  // namespace qa::core
