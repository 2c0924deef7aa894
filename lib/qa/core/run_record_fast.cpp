#include <qa/core/run_record_fast.hpp>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <simdjson.h>

#include <qa/core/config.hpp>
#include <qa/core/run_key.hpp>
#include <qa/util/json_depth.hpp>
#include <qa/util/log.hpp>
#include <qa/util/path.hpp>

namespace qa::core {

namespace {

using nlohmann::json;
using simdjson::dom::element;
using simdjson::dom::element_type;

// A JSON value as nlohmann's parser would build it: a non-negative integer is unsigned there.
json to_nlohmann(element value) {
  switch (value.type()) {
    case element_type::ARRAY: {
      json array = json::array();
      const simdjson::dom::array items = value.get_array().value_unsafe();
      for (const element item : items) {
        array.push_back(to_nlohmann(item));
      }
      return array;
    }
    case element_type::OBJECT: {
      json object = json::object();
      const simdjson::dom::object fields = value.get_object().value_unsafe();
      for (const auto field : fields) {
        // As in nlohmann's parser, the last of repeated keys wins.
        object[std::string(field.key)] = to_nlohmann(field.value);
      }
      return object;
    }
    case element_type::INT64: {
      const std::int64_t number = value.get_int64().value_unsafe();
      return number >= 0 ? json(static_cast<std::uint64_t>(number)) : json(number);
    }
    case element_type::UINT64:
      return json(value.get_uint64().value_unsafe());
    case element_type::DOUBLE:
      return json(value.get_double().value_unsafe());
    case element_type::STRING:
      return json(std::string(value.get_string().value_unsafe()));
    case element_type::BOOL:
      return json(value.get_bool().value_unsafe());
    case element_type::NULL_VALUE:
      return json(nullptr);
  }
  return json(nullptr);
}

// The fields of a record, each seen at most once (a repeated one goes to the slow path).
struct Fields {
  enum Index {
    schema,
    project,
    commit,
    branch,
    label,
    key,
    input,
    configs,
    params,
    status,
    exit_code,
    metrics,
    badges,
    links,
    timing,
    files,
    log,
    output_dir,
    started_at,
    host,
    qatools_version,
    cache_key,
    cached_from,
    count
  };
  static constexpr std::string_view k_names[count] = {
      "schema",     "project", "commit",          "branch",    "label",      "key",
      "input",      "configs", "params",          "status",    "exit_code",  "metrics",
      "badges",     "links",   "timing",          "files",     "log",        "output_dir",
      "started_at", "host",    "qatools_version", "cache_key", "cached_from"};
  element values[count];
  bool seen[count] = {};
};

bool is_null_or_absent(const Fields& fields, Fields::Index index) {
  return !fields.seen[index] || fields.values[index].is_null();
}

// A required string.
bool read_string(const Fields& fields, Fields::Index index, std::string& out) {
  if (!fields.seen[index] || !fields.values[index].is_string()) {
    return false;
  }
  out = std::string(fields.values[index].get_string().value_unsafe());
  return true;
}

// A string that may be absent or null (empty then).
bool read_optional_string(const Fields& fields, Fields::Index index, std::string& out) {
  if (is_null_or_absent(fields, index)) {
    out.clear();
    return true;
  }
  return read_string(fields, index, out);
}

// An object that may be absent or null (empty then).
bool read_object(const Fields& fields, Fields::Index index, json& out) {
  if (is_null_or_absent(fields, index)) {
    out = json::object();
    return true;
  }
  if (!fields.values[index].is_object()) {
    return false;
  }
  out = to_nlohmann(fields.values[index]);
  return true;
}

// The fields named `names` of `object`, each at most once.
template <std::size_t N>
bool collect(element object, const std::string_view (&names)[N], element (&values)[N],
             bool (&seen)[N]) {
  const simdjson::dom::object fields = object.get_object().value_unsafe();
  for (const auto field : fields) {
    for (std::size_t i = 0; i < N; ++i) {
      if (field.key == names[i]) {
        if (seen[i]) {
          return false;
        }
        seen[i] = true;
        values[i] = field.value;
        break;
      }
    }
  }
  return true;
}

// A file entry, {"xxh128": "<32 hex>", "size": N}.
bool read_entry(element value, FileEntry& out) {
  if (!value.is_object()) {
    return false;
  }
  static constexpr std::string_view k_names[2] = {"xxh128", "size"};
  element values[2];
  bool seen[2] = {};
  if (!collect(value, k_names, values, seen) || !seen[0] || !seen[1] || !values[0].is_string()) {
    return false;
  }
  std::uint64_t size = 0;
  if (values[1].type() == element_type::INT64) {
    const std::int64_t number = values[1].get_int64().value_unsafe();
    if (number < 0) {
      return false;
    }
    size = static_cast<std::uint64_t>(number);
  } else if (values[1].type() == element_type::UINT64) {
    size = values[1].get_uint64().value_unsafe();
  } else {
    return false;
  }
  auto hash = util::Hash128::from_hex(values[0].get_string().value_unsafe());
  if (!hash) {
    return false;
  }
  out = FileEntry{*hash, size};
  return true;
}

double number_or_zero(element value) {
  switch (value.type()) {
    case element_type::INT64:
      return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64:
      return static_cast<double>(value.get_uint64().value_unsafe());
    case element_type::DOUBLE:
      return value.get_double().value_unsafe();
    default:
      return 0.0;
  }
}

bool read_timing(const Fields& fields, Timing& out) {
  out = Timing{};
  if (is_null_or_absent(fields, Fields::timing)) {
    return true;
  }
  const element timing = fields.values[Fields::timing];
  if (!timing.is_object()) {
    return false;
  }
  static constexpr std::string_view k_names[4] = {"wall_s", "user_s", "sys_s", "peak_rss_kb"};
  element values[4];
  bool seen[4] = {};
  if (!collect(timing, k_names, values, seen)) {
    return false;
  }
  out.wall_s = seen[0] ? number_or_zero(values[0]) : 0.0;
  out.user_s = seen[1] ? number_or_zero(values[1]) : 0.0;
  out.sys_s = seen[2] ? number_or_zero(values[2]) : 0.0;
  const double peak_rss_kb = seen[3] ? number_or_zero(values[3]) : 0.0;
  constexpr double k_long_limit = 9223372036854775808.0;
  if (!(peak_rss_kb >= -k_long_limit && peak_rss_kb < k_long_limit)) {
    return false;
  }
  out.peak_rss_kb = static_cast<long>(peak_rss_kb);
  return true;
}

bool read_files(const Fields& fields, Manifest& out) {
  if (is_null_or_absent(fields, Fields::files)) {
    return true;
  }
  const element files = fields.values[Fields::files];
  if (!files.is_object()) {
    return false;
  }
  const simdjson::dom::object entries = files.get_object().value_unsafe();
  for (const auto field : entries) {
    FileEntry entry;
    if (!util::check_relative_path(field.key) || !read_entry(field.value, entry) ||
        !out.emplace(std::string(field.key), entry).second) {
      return false;
    }
  }
  return true;
}

bool read_log(const Fields& fields, std::optional<LogFile>& out) {
  if (is_null_or_absent(fields, Fields::log)) {
    return true;
  }
  const element log = fields.values[Fields::log];
  FileEntry entry;
  if (!read_entry(log, entry)) {
    return false;
  }
  static constexpr std::string_view k_names[1] = {"path"};
  element values[1];
  bool seen[1] = {};
  if (!collect(log, k_names, values, seen)) {
    return false;
  }
  out =
      LogFile{seen[0] && values[0].is_string() ? std::string(values[0].get_string().value_unsafe())
                                               : std::string(),
              entry};
  return true;
}

bool read_exit_code(const Fields& fields, std::optional<int>& out) {
  if (is_null_or_absent(fields, Fields::exit_code)) {
    return true;
  }
  const element code = fields.values[Fields::exit_code];
  if (code.type() != element_type::INT64) {
    return false;  // a float, or an unsigned integer beyond int64: out of range in any case
  }
  const std::int64_t number = code.get_int64().value_unsafe();
  if (number < INT_MIN || number > INT_MAX) {
    return false;
  }
  out = static_cast<int>(number);
  return true;
}

std::optional<RunRecord> read_fields(const Fields& fields) {
  RunRecord record;
  std::string text;
  if (!read_string(fields, Fields::schema, text) || text != k_run_schema ||
      !read_string(fields, Fields::project, record.project) ||
      !check_project_name(record.project) || !read_string(fields, Fields::commit, record.commit) ||
      !check_commit_key(record.commit) || !read_optional_string(fields, Fields::branch, text) ||
      !read_string(fields, Fields::label, record.label) ||
      !read_string(fields, Fields::key, record.key) || !check_run_key(record.key) ||
      !record.key.starts_with(record.label + "/") || record.label.find('/') != std::string::npos ||
      !read_string(fields, Fields::input, record.input)) {
    return std::nullopt;
  }
  if (!text.empty()) {
    record.branch = text;
  }
  if (fields.seen[Fields::configs]) {
    if (!fields.values[Fields::configs].is_array()) {
      return std::nullopt;
    }
    record.configs = to_nlohmann(fields.values[Fields::configs]);
  }
  if (!read_object(fields, Fields::params, record.params) ||
      !read_string(fields, Fields::status, text)) {
    return std::nullopt;
  }
  auto status = parse_run_status(text);
  if (!status) {
    return std::nullopt;
  }
  record.status = *status;
  if (!read_exit_code(fields, record.exit_code) ||
      !read_object(fields, Fields::metrics, record.metrics) ||
      !read_object(fields, Fields::badges, record.badges) ||
      !read_object(fields, Fields::links, record.links) || !read_timing(fields, record.timing) ||
      !read_files(fields, record.files) || !read_log(fields, record.log) ||
      !read_optional_string(fields, Fields::output_dir, record.output_dir) ||
      !read_optional_string(fields, Fields::started_at, record.started_at) ||
      !read_optional_string(fields, Fields::host, record.host) ||
      !read_optional_string(fields, Fields::qatools_version, record.qatools_version) ||
      !read_optional_string(fields, Fields::cache_key, record.cache_key) ||
      !read_optional_string(fields, Fields::cached_from, record.cached_from)) {
    return std::nullopt;
  }
  return record;
}

}  // namespace

std::optional<RunRecord> read_record_fast(std::string_view text) {
  // One parser and padded buffer per thread: the lines of a stream are parsed in parallel. The
  // parser refuses documents that nest as deep as util::k_max_json_depth: the slow path's check
  // names them.
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser made;
    if (made.allocate(simdjson::dom::MINIMAL_DOCUMENT_CAPACITY, util::k_max_json_depth) !=
        simdjson::SUCCESS) {
      util::log::debug("cannot prepare the JSON parser; records are read by the slow path");
    }
    return made;
  }();
  thread_local std::string buffer;
  buffer.assign(text);
  buffer.append(simdjson::SIMDJSON_PADDING, '\0');
  element root;
  if (parser.parse(buffer.data(), text.size(), /*realloc_if_needed=*/false).get(root) !=
          simdjson::SUCCESS ||
      !root.is_object()) {
    return std::nullopt;
  }
  Fields fields;
  const simdjson::dom::object object = root.get_object().value_unsafe();
  for (const auto field : object) {
    for (int i = 0; i < Fields::count; ++i) {
      if (field.key == Fields::k_names[i]) {
        if (fields.seen[i]) {
          return std::nullopt;  // nlohmann keeps the last one: let the slow path decide
        }
        fields.seen[i] = true;
        fields.values[i] = field.value;
        break;
      }
    }
  }
  return read_fields(fields);
}

}  // namespace qa::core
