#include <qa/core/run_key.hpp>

#include <algorithm>

#include <qa/util/hash.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

namespace {

constexpr std::size_t k_max_slug = 64;
constexpr std::size_t k_tail = 40;

bool is_slug_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("._-+=,@").find(c) != std::string_view::npos;
}

void flatten_params(const nlohmann::json& value, const std::string& prefix,
                    std::vector<std::string>& out) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {  // nlohmann objects iterate in key order
      flatten_params(item, prefix.empty() ? key : prefix + "." + key, out);
    }
    return;
  }
  out.push_back(prefix + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
}

bool is_plain_slug(std::string_view text) {
  if (text.empty() || text.size() > k_max_slug || text == "." || text == "..") {
    return false;
  }
  return std::all_of(text.begin(), text.end(), is_slug_char);
}

// `<8 hex of xxh128(identity)>-<the last characters of readable, made safe>`.
std::string hashed_slug(std::string_view identity, std::string_view readable) {
  std::string tail;
  for (const char c : readable.substr(readable.size() > k_tail ? readable.size() - k_tail : 0)) {
    tail += is_slug_char(c) ? c : '_';
  }
  return util::hash_bytes(identity).hex().substr(0, 8) + "-" + tail;
}

}  // namespace

std::string make_slug(std::string_view text) {
  return is_plain_slug(text) ? std::string(text) : hashed_slug(text, text);
}

std::string input_slug(std::string_view rel_input_path) {
  std::string text(rel_input_path);
  std::replace(text.begin(), text.end(), '/', '-');
  // A `-` of the path would meet a `/` written `-` (`a-b.png` and `a/b.png`): take the hashed
  // form, so that a `-` in a readable input slug always stands for a `/`.
  const bool ambiguous = rel_input_path.find('-') != std::string_view::npos;
  return !ambiguous && is_plain_slug(text) ? text : hashed_slug(rel_input_path, text);
}

std::string config_slug(const nlohmann::json& configs, const nlohmann::json& params) {
  std::vector<std::string> parts;
  if (configs.is_array()) {
    for (const auto& config : configs) {
      if (config.is_string()) {
        parts.push_back(config.get<std::string>());
      }
    }
  }
  std::vector<std::string> flat;
  flatten_params(params.is_object() ? params : nlohmann::json::object(), "", flat);
  if (!flat.empty()) {
    parts.push_back(util::join(flat, ","));
  }
  if (parts.empty()) {
    return "default";
  }
  return make_slug(util::join(parts, "+"));
}

Expected<void> check_label(std::string_view label) {
  bool ok = !label.empty() && label.size() <= k_max_slug && label != "." && label != "..";
  for (const char c : label) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-');
  }
  if (!ok) {
    return fail("invalid label {}: use 1 to 64 letters, digits, \".\", \"_\" or \"-\"",
                quote(label));
  }
  return {};
}

std::string run_key(std::string_view label, const nlohmann::json& configs,
                    const nlohmann::json& params, std::string_view rel_input_path) {
  return std::string(label) + "/" + config_slug(configs, params) + "/" + input_slug(rel_input_path);
}

std::string_view key_config(std::string_view key) {
  const auto first = key.find('/');
  const auto last = key.rfind('/');
  if (first == std::string_view::npos || first == last) {
    return {};
  }
  return key.substr(first + 1, last - first - 1);
}

Expected<void> check_run_key(std::string_view key) {
  const auto parts = util::split(key, '/');
  bool ok = parts.size() == 3;
  for (const auto& part : parts) {
    ok = ok && !part.empty() && part != "." && part != "..";
    for (const char c : part) {
      ok = ok && is_slug_char(c);
    }
  }
  if (!ok) {
    return fail("invalid run key {}: expected <label>/<config>/<input>", quote(key));
  }
  return {};
}

Expected<void> check_commit_key(std::string_view commit) {
  std::string_view sha = commit;
  if (sha.ends_with("-dirty")) {
    sha.remove_suffix(6);
  }
  bool ok = sha.size() == 40 || sha.size() == 64;
  for (const char c : sha) {
    ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
  if (!ok) {
    return fail("invalid commit {}: expected a full hex sha", quote(commit));
  }
  return {};
}

}  // namespace qa::core
