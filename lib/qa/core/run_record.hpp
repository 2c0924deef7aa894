#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <qa/core/manifest.hpp>
#include <qa/util/error.hpp>

namespace qa::core {

// The run record, `run.json`, schema `qa.run/1`: one JSON object per run, stored under the
// commit and key of the run, and one line of the JSON Lines streams between the tools.
//
//   {"schema": "qa.run/1",
//    "project": "acme/denoise", "commit": "<40 hex>[-dirty]", "branch": "main" | null,
//    "label": "default", "key": "<label>/<config-slug>/<input-slug>", "input": "images/a.png",
//    "configs": ["base", {"strength": 0.5}], "params": {"strength": 0.5},
//    "status": "ok" | "failed" | "timeout" | "planned" | "cached",
//    "exit_code": 0 | null,
//    "metrics": {"psnr": 31.2, "is_failed": false, "compute_time": 1.2, "peak_rss_mb": 50.8},
//    "badges": {}, "links": {},
//    "timing": {"wall_s": 1.2, "user_s": 1.1, "sys_s": 0.1, "peak_rss_kb": 52000},
//    "files": {"out.png": {"xxh128": "<32 hex>", "size": 1234}},
//    "log": {"path": "/abs/output/<key>/qa-run.log", "xxh128": "<32 hex>", "size": 80} | null,
//    "output_dir": "/abs/output/<key>",
//    "started_at": "2026-11-25T02:30:04Z", "host": "ci-runner-3", "qatools_version": "0.1.0",
//    "cache_key": "<32 hex>", "cached_from": "<40 hex>"}
//
// `cache_key` (only when qaboard.yaml declares run.deps) identifies what the run depends on
// (runner/run_cache.hpp); `cached_from` (only when the status is `cached`) is the commit whose
// run produced the outputs this record reuses: nothing ran for it. Both are absent otherwise.
//
// `files` paths are relative to the output folder and may not leave it; `log` is the command's
// stdout and stderr, stored in the store like the outputs but not part of them.
inline constexpr const char* k_run_schema = "qa.run/1";

enum class RunStatus { ok, failed, timeout, planned, cached };

[[nodiscard]] std::string_view to_string(RunStatus status);
// Return whether a run of `status` produced its outputs: ok, or cached (reused from an ok run).
[[nodiscard]] inline bool succeeded(RunStatus status) {
  return status == RunStatus::ok || status == RunStatus::cached;
}
[[nodiscard]] Expected<RunStatus> parse_run_status(std::string_view text);

struct Timing {
  double wall_s = 0;
  double user_s = 0;
  double sys_s = 0;
  long peak_rss_kb = 0;
};

struct LogFile {
  std::string path;  // where the log was written, on the machine that ran it
  FileEntry entry;
};

struct RunRecord {
  std::string project;
  std::string commit;
  std::optional<std::string> branch;
  std::string label = "default";
  std::string key;
  std::string input;
  nlohmann::json configs = nlohmann::json::array();
  nlohmann::json params = nlohmann::json::object();
  RunStatus status = RunStatus::planned;
  std::optional<int> exit_code;
  nlohmann::json metrics = nlohmann::json::object();
  nlohmann::json badges = nlohmann::json::object();
  nlohmann::json links = nlohmann::json::object();
  Timing timing;
  Manifest files;
  std::optional<LogFile> log;
  std::string output_dir;
  std::string started_at;
  std::string host;
  std::string qatools_version;
  std::string cache_key;    // empty: none
  std::string cached_from;  // empty: none
};

// Return `record` as a JSON object of schema qa.run/1.
[[nodiscard]] nlohmann::json to_json(const RunRecord& record);

// Read a record from `json`, validating it: the schema, required fields and their types, the key,
// file paths that stay inside the output folder and well-formed hashes. `origin` (a file name or
// "stdin line 3") is named in errors.
[[nodiscard]] Expected<RunRecord> record_from_json(const nlohmann::json& json,
                                                   std::string_view origin);

// Parse one line or file of JSON text holding a record (see record_from_json).
[[nodiscard]] Expected<RunRecord> parse_record(std::string_view text, std::string_view origin);

}  // namespace qa::core
