#include <qa/core/run_record.hpp>

#include <array>
#include <climits>
#include <cstdint>
#include <utility>

#include <qa/core/config.hpp>
#include <qa/core/run_key.hpp>
#include <qa/core/run_record_fast.hpp>
#include <qa/util/json_depth.hpp>
#include <qa/util/path.hpp>

namespace qa::core {

using nlohmann::json;

namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 5> k_statuses{{
    {RunStatus::ok, "ok"},
    {RunStatus::failed, "failed"},
    {RunStatus::timeout, "timeout"},
    {RunStatus::planned, "planned"},
    {RunStatus::cached, "cached"},
}};

json entry_to_json(const FileEntry& entry) {
  return json{{"xxh128", entry.hash.hex()}, {"size", entry.size}};
}

// A file size: a non-negative integer (signed when the JSON was built in memory, not parsed).
bool is_size(const json& value) {
  return value.is_number_unsigned() ||
         (value.is_number_integer() && value.get<std::int64_t>() >= 0);
}

// Reads fields of one record, naming the record and the field in errors.
class FieldReader {
 public:
  FieldReader(const json& object, std::string_view origin) : m_object(object), m_origin(origin) {}

  [[nodiscard]] tl::unexpected<Error> invalid(std::string_view what) const {
    return fail("invalid run record {}: {}", quote(m_origin), what);
  }

  [[nodiscard]] Expected<std::string> string(const char* name) const {
    const auto it = m_object.find(name);
    if (it == m_object.end() || !it->is_string()) {
      return invalid(fmt::format("{} must be a string", quote(name)));
    }
    return it->get<std::string>();
  }

  [[nodiscard]] Expected<std::string> optional_string(const char* name) const {
    const auto it = m_object.find(name);
    if (it == m_object.end() || it->is_null()) {
      return std::string();
    }
    if (!it->is_string()) {
      return invalid(fmt::format("{} must be a string", quote(name)));
    }
    return it->get<std::string>();
  }

  [[nodiscard]] Expected<json> object(const char* name) const {
    const auto it = m_object.find(name);
    if (it == m_object.end() || it->is_null()) {
      return json::object();
    }
    if (!it->is_object()) {
      return invalid(fmt::format("{} must be an object", quote(name)));
    }
    return *it;
  }

  [[nodiscard]] Expected<FileEntry> entry(const json& value, std::string_view name) const {
    if (!value.is_object() || !value.contains("xxh128") || !value["xxh128"].is_string() ||
        !value.contains("size") || !is_size(value["size"])) {
      return invalid(fmt::format("file {} needs \"xxh128\" and \"size\"", quote(name)));
    }
    auto hash = util::Hash128::from_hex(value["xxh128"].get<std::string>());
    if (!hash) {
      return invalid(hash.error().message);
    }
    return FileEntry{*hash, value["size"].get<std::uint64_t>()};
  }

 private:
  const json& m_object;
  std::string_view m_origin;
};

double number_or_zero(const json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

}  // namespace

std::string_view to_string(RunStatus status) {
  for (const auto& [value, name] : k_statuses) {
    if (value == status) {
      return name;
    }
  }
  return "failed";
}

Expected<RunStatus> parse_run_status(std::string_view text) {
  for (const auto& [value, name] : k_statuses) {
    if (name == text) {
      return value;
    }
  }
  return fail("unknown run status {}", quote(text));
}

json to_json(const RunRecord& record) {
  json files = json::object();
  for (const auto& [path, entry] : record.files) {
    files[path] = entry_to_json(entry);
  }
  json log = nullptr;
  if (record.log) {
    log = entry_to_json(record.log->entry);
    log["path"] = record.log->path;
  }
  json out{
      {"schema", k_run_schema},
      {"project", record.project},
      {"commit", record.commit},
      {"branch", record.branch ? json(*record.branch) : json(nullptr)},
      {"label", record.label},
      {"key", record.key},
      {"input", record.input},
      {"configs", record.configs},
      {"params", record.params},
      {"status", to_string(record.status)},
      {"exit_code", record.exit_code ? json(*record.exit_code) : json(nullptr)},
      {"metrics", record.metrics},
      {"badges", record.badges},
      {"links", record.links},
      {"timing",
       {{"wall_s", record.timing.wall_s},
        {"user_s", record.timing.user_s},
        {"sys_s", record.timing.sys_s},
        {"peak_rss_kb", record.timing.peak_rss_kb}}},
      {"files", std::move(files)},
      {"log", std::move(log)},
      {"output_dir", record.output_dir},
      {"started_at", record.started_at},
      {"host", record.host},
      {"qatools_version", record.qatools_version},
  };
  if (!record.cache_key.empty()) {
    out["cache_key"] = record.cache_key;
  }
  if (!record.cached_from.empty()) {
    out["cached_from"] = record.cached_from;
  }
  return out;
}

Expected<RunRecord> record_from_json(const json& value, std::string_view origin) {
  if (!value.is_object()) {
    return fail("invalid run record {}: not a JSON object", quote(origin));
  }
  const FieldReader r(value, origin);
  QA_TRY_ASSIGN(const std::string schema, r.string("schema"));
  if (schema != k_run_schema) {
    return r.invalid(
        fmt::format("unsupported schema {} (expected {})", quote(schema), quote(k_run_schema)));
  }
  RunRecord record;
  QA_TRY_ASSIGN(record.project, r.string("project"));
  if (auto valid = check_project_name(record.project); !valid) {
    return r.invalid(valid.error().message);
  }
  QA_TRY_ASSIGN(record.commit, r.string("commit"));
  if (auto valid = check_commit_key(record.commit); !valid) {
    return r.invalid(valid.error().message);
  }
  QA_TRY_ASSIGN(const std::string branch, r.optional_string("branch"));
  if (!branch.empty()) {
    record.branch = branch;
  }
  QA_TRY_ASSIGN(record.label, r.string("label"));
  QA_TRY_ASSIGN(record.key, r.string("key"));
  if (auto valid = check_run_key(record.key); !valid) {
    return r.invalid(valid.error().message);
  }
  if (!record.key.starts_with(record.label + "/") || record.label.find('/') != std::string::npos) {
    return r.invalid(
        fmt::format("label {} does not match its key {}", quote(record.label), quote(record.key)));
  }
  QA_TRY_ASSIGN(record.input, r.string("input"));
  if (value.contains("configs")) {
    if (!value["configs"].is_array()) {
      return r.invalid("\"configs\" must be a list");
    }
    record.configs = value["configs"];
  }
  QA_TRY_ASSIGN(record.params, r.object("params"));
  QA_TRY_ASSIGN(const std::string status, r.string("status"));
  auto parsed_status = parse_run_status(status);
  if (!parsed_status) {
    return r.invalid(parsed_status.error().message);
  }
  record.status = *parsed_status;
  if (value.contains("exit_code") && !value["exit_code"].is_null()) {
    const json& code = value["exit_code"];
    const bool in_range = code.is_number_unsigned()
                              ? code.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT_MAX)
                              : code.is_number_integer() && code.get<std::int64_t>() >= INT_MIN &&
                                    code.get<std::int64_t>() <= INT_MAX;
    if (!in_range) {
      return r.invalid("\"exit_code\" must be an integer from -2147483648 to 2147483647, or null");
    }
    record.exit_code = code.get<int>();
  }
  QA_TRY_ASSIGN(record.metrics, r.object("metrics"));
  QA_TRY_ASSIGN(record.badges, r.object("badges"));
  QA_TRY_ASSIGN(record.links, r.object("links"));
  QA_TRY_ASSIGN(const json timing, r.object("timing"));
  record.timing.wall_s = number_or_zero(timing, "wall_s");
  record.timing.user_s = number_or_zero(timing, "user_s");
  record.timing.sys_s = number_or_zero(timing, "sys_s");
  // 2^63 is exact as a double: converting a value outside [-2^63, 2^63) to long is undefined.
  constexpr double k_long_limit = 9223372036854775808.0;
  const double peak_rss_kb = number_or_zero(timing, "peak_rss_kb");
  if (!(peak_rss_kb >= -k_long_limit && peak_rss_kb < k_long_limit)) {
    return r.invalid("\"timing.peak_rss_kb\" is out of range");
  }
  record.timing.peak_rss_kb = static_cast<long>(peak_rss_kb);
  QA_TRY_ASSIGN(const json files, r.object("files"));
  for (const auto& [path, entry] : files.items()) {
    if (auto safe = util::check_relative_path(path); !safe) {
      return r.invalid(safe.error().message);
    }
    QA_TRY_ASSIGN(auto file, r.entry(entry, path));
    record.files.emplace(path, file);
  }
  if (value.contains("log") && !value["log"].is_null()) {
    QA_TRY_ASSIGN(auto entry, r.entry(value["log"], "log"));
    const json& log = value["log"];
    record.log =
        LogFile{log.contains("path") && log["path"].is_string() ? log["path"].get<std::string>()
                                                                : std::string(),
                entry};
  }
  QA_TRY_ASSIGN(record.output_dir, r.optional_string("output_dir"));
  QA_TRY_ASSIGN(record.started_at, r.optional_string("started_at"));
  QA_TRY_ASSIGN(record.host, r.optional_string("host"));
  QA_TRY_ASSIGN(record.qatools_version, r.optional_string("qatools_version"));
  QA_TRY_ASSIGN(record.cache_key, r.optional_string("cache_key"));
  QA_TRY_ASSIGN(record.cached_from, r.optional_string("cached_from"));
  return record;
}

Expected<RunRecord> parse_record(std::string_view text, std::string_view origin) {
  // The fast reader takes well-formed records of a sane depth; the rest is measured, then read
  // by nlohmann_json, whose errors name what is wrong.
  if (auto record = read_record_fast(text)) {
    return std::move(*record);
  }
  QA_TRY(util::check_json_depth(text, origin));
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return fail("invalid run record {}: not valid JSON", quote(origin));
  }
  return record_from_json(value, origin);
}

}  // namespace qa::core
