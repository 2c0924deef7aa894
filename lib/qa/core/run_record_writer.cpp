#include <qa/core/run_record_writer.hpp>

#include <qa/core/json_text.hpp>

namespace qa::core {

namespace {

void append_entry_fields(const FileEntry& entry, std::string& out) {
  out += "\"size\":";
  append_json_integer(entry.size, out);
  out += ",\"xxh128\":\"";
  out += entry.hash.hex();
  out += '"';
}

// The members in nlohmann's order (its objects are sorted by key).
void append_files(const Manifest& files, std::string& out) {
  out += '{';
  bool first = true;
  for (const auto& [path, entry] : files) {
    if (!first) {
      out += ',';
    }
    first = false;
    append_json_string(path, out);
    out += ":{";
    append_entry_fields(entry, out);
    out += '}';
  }
  out += '}';
}

}  // namespace

void append_json_line(const RunRecord& record, std::string& out) {
  out += "{\"badges\":";
  append_json_value(record.badges, out);
  out += ",\"branch\":";
  if (record.branch) {
    append_json_string(*record.branch, out);
  } else {
    out += "null";
  }
  if (!record.cache_key.empty()) {
    out += ",\"cache_key\":";
    append_json_string(record.cache_key, out);
  }
  if (!record.cached_from.empty()) {
    out += ",\"cached_from\":";
    append_json_string(record.cached_from, out);
  }
  out += ",\"commit\":";
  append_json_string(record.commit, out);
  out += ",\"configs\":";
  append_json_value(record.configs, out);
  out += ",\"exit_code\":";
  if (record.exit_code) {
    append_json_integer(*record.exit_code, out);
  } else {
    out += "null";
  }
  out += ",\"files\":";
  append_files(record.files, out);
  out += ",\"host\":";
  append_json_string(record.host, out);
  out += ",\"input\":";
  append_json_string(record.input, out);
  out += ",\"key\":";
  append_json_string(record.key, out);
  out += ",\"label\":";
  append_json_string(record.label, out);
  out += ",\"links\":";
  append_json_value(record.links, out);
  out += ",\"log\":";
  if (record.log) {
    out += "{\"path\":";
    append_json_string(record.log->path, out);
    out += ',';
    append_entry_fields(record.log->entry, out);
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"metrics\":";
  append_json_value(record.metrics, out);
  out += ",\"output_dir\":";
  append_json_string(record.output_dir, out);
  out += ",\"params\":";
  append_json_value(record.params, out);
  out += ",\"project\":";
  append_json_string(record.project, out);
  out += ",\"qatools_version\":";
  append_json_string(record.qatools_version, out);
  out += ",\"schema\":";
  append_json_string(k_run_schema, out);
  out += ",\"started_at\":";
  append_json_string(record.started_at, out);
  out += ",\"status\":";
  append_json_string(to_string(record.status), out);
  out += ",\"timing\":{\"peak_rss_kb\":";
  append_json_integer(record.timing.peak_rss_kb, out);
  out += ",\"sys_s\":";
  append_json_number(record.timing.sys_s, out);
  out += ",\"user_s\":";
  append_json_number(record.timing.user_s, out);
  out += ",\"wall_s\":";
  append_json_number(record.timing.wall_s, out);
  out += "}}";
}

std::string to_json_line(const RunRecord& record) {
  std::string out;
  out.reserve(1024);
  append_json_line(record, out);
  return out;
}

}  // namespace qa::core
