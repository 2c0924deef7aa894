#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/util/error.hpp>

namespace qa::core {

// A run's identity: `<label>/<config-slug>/<input-slug>`, the same on every machine.
//
// - The input slug is the input path relative to the database with `/` written `-`
//   (`images/a.png` -> `images-a.png`). A path that holds a `-` itself takes the hashed form
//   below, so that `a-b.png` and `a/b.png` never meet.
// - The config slug is the configuration names joined with `+`, then, when the run asks for
//   parameters (configuration maps, matrix values, tuning points, --param; not the defaults of
//   run.params), `+` and those parameters flattened to `key=value`, joined with `,` in key
//   order (nested keys dotted): `base+strength=0.5`. No names and no parameters give `default`.
// - A slug is used as it is when it is short (at most 64 characters) and only holds letters,
//   digits and `._-+=,@`. Otherwise it is `<first 8 hex of xxh128(text)>-<readable tail>`:
//   the other characters become `_` and only the last 40 characters of that are kept, so
//   different inputs always give different slugs.

// Return the slug of `text` (a `/` is one of the characters that force the hashed form).
[[nodiscard]] std::string make_slug(std::string_view text);

// Return the input slug of `rel_input_path`.
[[nodiscard]] std::string input_slug(std::string_view rel_input_path);

// Return the configuration slug of the names in `configs` (strings; maps are left out: their
// effect is in `params`) and of `params` (a JSON object).
[[nodiscard]] std::string config_slug(const nlohmann::json& configs, const nlohmann::json& params);

// Check that `label` can be part of a key: 1 to 64 of letters, digits, `._-`, not `.` or `..`.
[[nodiscard]] Expected<void> check_label(std::string_view label);

// Return the key of a run.
[[nodiscard]] std::string run_key(std::string_view label, const nlohmann::json& configs,
                                  const nlohmann::json& params, std::string_view rel_input_path);

// Return the config part of a run key (`<label>/<config>/<input>`), a view of `key`; empty when
// `key` has no three parts.
[[nodiscard]] std::string_view key_config(std::string_view key);

// Check that `key` is a well-formed run key (three safe `/`-separated parts).
[[nodiscard]] Expected<void> check_run_key(std::string_view key);

// Check that `commit` is a commit key: 40 or 64 lowercase hex digits, optionally `-dirty`. Store
// paths are made of it, so nothing else (`../..`) may come from a record or a branch index.
[[nodiscard]] Expected<void> check_commit_key(std::string_view commit);

}  // namespace qa::core
