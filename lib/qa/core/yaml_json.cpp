#include <qa/core/yaml_json.hpp>

#include <charconv>
#include <regex>
#include <string>

namespace qa::core {

namespace {

bool is_integer(const std::string& text) {
  static const std::regex k_int(R"([-+]?[0-9]+)");
  return std::regex_match(text, k_int);
}

bool is_float(const std::string& text) {
  static const std::regex k_float(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  return std::regex_match(text, k_float);
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

}  // namespace qa::core
