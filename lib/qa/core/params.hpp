#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include <qa/util/error.hpp>

namespace qa::core {

// Merge `patch` into `base`: objects are merged key by key, recursively; any other value of
// `patch` (numbers, strings, lists, null) replaces the one in `base`.
void deep_merge(nlohmann::json& base, const nlohmann::json& patch);

// Append the configuration list `value` to `out` as QA-Board reads one: lists are flattened, null
// adds nothing, numbers and booleans are configuration names written as text (`configs: [720]`
// names the configuration "720"), names and maps are appended as they are.
void flatten_configs(const nlohmann::json& value, nlohmann::json& out);

// Return a run's parameters: `defaults` (run.params), then each map of `configs` in order, then
// `overrides` (--param), deep-merged.
[[nodiscard]] nlohmann::json merge_params(const nlohmann::json& defaults,
                                          const nlohmann::json& configs,
                                          const nlohmann::json& overrides);

// Parse `assignment` of the form `KEY=VALUE` (VALUE read as a YAML scalar, so `level=6` is the
// number 6; KEY may be dotted for nested parameters) and set it in `params`.
[[nodiscard]] Expected<void> apply_param_assignment(nlohmann::json& params,
                                                    std::string_view assignment);

}  // namespace qa::core
