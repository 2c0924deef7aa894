// Fuzz the paths that turn user YAML into values, aliases and merge keys included: a YAML file
// read and bounded (load_yaml_file: check_yaml_bounds against recursive and exponential aliases,
// duplicate keys) then converted to JSON (yaml_to_json), as qaboard.yaml, batches and metrics
// files are; the input as a --config value (`{...}`) and each of its lines as a --param
// assignment (KEY=VALUE); and the input as one plain scalar (parse_yaml_scalar).

#include <qa/cli/common.hpp>
#include <qa/core/params.hpp>
#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

// The most --param lines of one input that are applied (each builds on the previous ones).
constexpr std::size_t k_max_params = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = qa::fuzz::as_text(data, size);
  const auto file = qa::fuzz::write_input_file(data, size, "values.yaml");
  if (const auto root = qa::core::load_yaml_file(file)) {
    const nlohmann::json value = qa::core::yaml_to_json(*root);
    [[maybe_unused]] const std::string dumped =
        value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  // The same text given as `--config '{...}'` (a map is required; anything else is a name).
  [[maybe_unused]] const auto configs = qa::cli::parse_configs(
      {text.starts_with('{') ? std::string(text) : "{" + std::string(text) + "}"});

  // Each line as `--param KEY=VALUE`, into the same parameters.
  nlohmann::json params = nlohmann::json::object();
  std::size_t start = 0;
  for (std::size_t count = 0; start <= text.size() && count < k_max_params; ++count) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    [[maybe_unused]] const auto applied =
        qa::core::apply_param_assignment(params, text.substr(start, end - start));
    start = end + 1;
  }
  [[maybe_unused]] const auto scalar = qa::core::parse_yaml_scalar(text);
  return 0;
}
