#include <qa/report/report_json.hpp>

#include <algorithm>
#include <map>

#include <qa/core/json_text.hpp>
#include <qa/util/parallel.hpp>
#include <qa/version.hpp>

namespace qa::report {

using nlohmann::json;

json counts_to_json(const Counts& counts) {
  return json{{"runs", counts.runs},
              {"ok", counts.ok},
              {"failed", counts.failed},
              {"missing", counts.missing},
              {"new", counts.new_runs},
              {"regressions", counts.regressions},
              {"worse", counts.worse},
              {"better", counts.better},
              {"unchanged", counts.unchanged},
              {"bit_identical", counts.bit_identical},
              {"bit_different", counts.bit_different}};
}

json stats_to_json(const MetricStats& stats) {
  if (stats.count == 0) {
    return json{
        {"count", 0}, {"mean", nullptr}, {"median", nullptr}, {"min", nullptr}, {"max", nullptr}};
  }
  return json{{"count", stats.count},
              {"mean", stats.mean},
              {"median", stats.median},
              {"min", stats.min},
              {"max", stats.max}};
}

namespace {

json optional_number(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json files_to_json(const core::RunRecord* record, const core::RunRecord* reference) {
  static const core::Manifest k_empty;
  const core::Manifest& files = record != nullptr ? record->files : k_empty;
  const core::Manifest& reference_files = reference != nullptr ? reference->files : k_empty;
  json result = json::array();
  auto it = files.begin();
  auto ref = reference_files.begin();
  while (it != files.end() || ref != reference_files.end()) {
    const bool take_new =
        ref == reference_files.end() || (it != files.end() && it->first <= ref->first);
    const bool take_ref =
        it == files.end() || (ref != reference_files.end() && ref->first <= it->first);
    json file{{"path", take_new ? it->first : ref->first}};
    if (take_new && take_ref) {
      file["change"] = it->second == ref->second ? "identical" : "changed";
    } else {
      file["change"] = take_new ? "only-new" : "only-reference";
    }
    if (take_new) {
      file["xxh128"] = it->second.hash.hex();
      file["size"] = it->second.size;
      ++it;
    }
    if (take_ref) {
      file["reference_xxh128"] = ref->second.hash.hex();
      file["reference_size"] = ref->second.size;
      ++ref;
    }
    result.push_back(std::move(file));
  }
  return result;
}

json log_to_json(const core::RunRecord* record) {
  if (record == nullptr || !record->log) {
    return nullptr;
  }
  return json{{"xxh128", record->log->entry.hash.hex()}, {"size", record->log->entry.size}};
}

json reason_of(const RunComparison& run, const core::MetricDefs& defs) {
  std::string reason = explain(defs, run);
  return reason.empty() ? json(nullptr) : json(std::move(reason));
}

json status_of(const core::RunRecord* record) {
  return record != nullptr ? json(core::to_string(record->status)) : json(nullptr);
}

}  // namespace

json run_to_json(const RunComparison& run, const core::MetricDefs& defs) {
  // Descriptive fields come from the new run, else (missing) from the reference's.
  const core::RunRecord& any = run.record != nullptr ? *run.record : *run.reference;
  json metrics = json::object();
  for (const auto& metric : run.metrics) {
    metrics[metric.name] = json{{"value", metric.value},
                                {"reference", metric.reference},
                                {"delta", optional_number(metric.delta)},
                                {"relative", optional_number(metric.relative)},
                                {"verdict", to_string(metric.verdict)}};
  }
  json timing = nullptr;
  json exit_code = nullptr;
  json host = nullptr;
  if (run.record != nullptr) {
    const auto& t = run.record->timing;
    timing = json{{"wall_s", t.wall_s},
                  {"user_s", t.user_s},
                  {"sys_s", t.sys_s},
                  {"peak_rss_kb", t.peak_rss_kb}};
    if (run.record->exit_code) {
      exit_code = *run.record->exit_code;
    }
    host = run.record->host;
  }
  return json{{"key", run.key},
              {"label", run.label},
              {"config", run.config},
              {"input", run.input},
              {"verdict", to_string(run.verdict)},
              {"status", status_of(run.record)},
              {"reference_status", status_of(run.reference)},
              {"bitacc", run.bitacc ? json(to_string(run.bitacc->verdict)) : json(nullptr)},
              {"configs", any.configs},
              {"params", any.params},
              {"reason", reason_of(run, defs)},
              {"badges", any.badges},
              {"links", any.links},
              {"exit_code", std::move(exit_code)},
              {"timing", std::move(timing)},
              {"host", std::move(host)},
              {"metrics", std::move(metrics)},
              {"files", files_to_json(run.record, run.reference)},
              {"log", log_to_json(run.record)},
              {"reference_log", log_to_json(run.reference)}};
}

namespace {

using core::append_json_integer;
using core::append_json_number;
using core::InvalidUtf8;

void append_text(std::string_view text, std::string& out) {
  core::append_json_string(text, out, InvalidUtf8::replace);
}

void append_value(const json& value, std::string& out) {
  core::append_json_value(value, out, InvalidUtf8::replace);
}

void append_optional_number(const std::optional<double>& value, std::string& out) {
  if (value) {
    append_json_number(*value, out);
  } else {
    out += "null";
  }
}

void append_status(const core::RunRecord* record, std::string& out) {
  if (record != nullptr) {
    append_text(core::to_string(record->status), out);
  } else {
    out += "null";
  }
}

void append_log(const core::RunRecord* record, std::string& out) {
  if (record == nullptr || !record->log) {
    out += "null";
    return;
  }
  out += "{\"size\":";
  append_json_integer(record->log->entry.size, out);
  out += ",\"xxh128\":\"";
  out += record->log->entry.hash.hex();
  out += "\"}";
}

// The members of each object in nlohmann's order (sorted by key), as files_to_json builds them.
void append_files(const core::RunRecord* record, const core::RunRecord* reference,
                  std::string& out) {
  static const core::Manifest k_empty;
  const core::Manifest& files = record != nullptr ? record->files : k_empty;
  const core::Manifest& reference_files = reference != nullptr ? reference->files : k_empty;
  out += '[';
  auto it = files.begin();
  auto ref = reference_files.begin();
  bool first = true;
  while (it != files.end() || ref != reference_files.end()) {
    const bool take_new =
        ref == reference_files.end() || (it != files.end() && it->first <= ref->first);
    const bool take_ref =
        it == files.end() || (ref != reference_files.end() && ref->first <= it->first);
    out += first ? "{\"change\":" : ",{\"change\":";
    first = false;
    if (take_new && take_ref) {
      out += it->second == ref->second ? "\"identical\"" : "\"changed\"";
    } else {
      out += take_new ? "\"only-new\"" : "\"only-reference\"";
    }
    out += ",\"path\":";
    append_text(take_new ? it->first : ref->first, out);
    if (take_ref) {
      out += ",\"reference_size\":";
      append_json_integer(ref->second.size, out);
      out += ",\"reference_xxh128\":\"";
      out += ref->second.hash.hex();
      out += '"';
    }
    if (take_new) {
      out += ",\"size\":";
      append_json_integer(it->second.size, out);
      out += ",\"xxh128\":\"";
      out += it->second.hash.hex();
      out += '"';
      ++it;
    }
    if (take_ref) {
      ++ref;
    }
    out += '}';
  }
  out += ']';
}

void append_metrics(const std::vector<MetricComparison>& metrics, std::string& out) {
  // By name, the last of a repeated name winning, as in the JSON object.
  std::map<std::string_view, const MetricComparison*> sorted;
  for (const auto& metric : metrics) {
    sorted[metric.name] = &metric;
  }
  out += '{';
  bool first = true;
  for (const auto& [name, metric] : sorted) {
    if (!first) {
      out += ',';
    }
    first = false;
    append_text(name, out);
    out += ":{\"delta\":";
    append_optional_number(metric->delta, out);
    out += ",\"reference\":";
    append_value(metric->reference, out);
    out += ",\"relative\":";
    append_optional_number(metric->relative, out);
    out += ",\"value\":";
    append_value(metric->value, out);
    out += ",\"verdict\":";
    append_text(to_string(metric->verdict), out);
    out += '}';
  }
  out += '}';
}

}  // namespace

void append_run_json(const RunComparison& run, const core::MetricDefs& defs, std::string& out) {
  const core::RunRecord& any = run.record != nullptr ? *run.record : *run.reference;
  out += "{\"badges\":";
  append_value(any.badges, out);
  out += ",\"bitacc\":";
  if (run.bitacc) {
    append_text(to_string(run.bitacc->verdict), out);
  } else {
    out += "null";
  }
  out += ",\"config\":";
  append_text(run.config, out);
  out += ",\"configs\":";
  append_value(any.configs, out);
  out += ",\"exit_code\":";
  if (run.record != nullptr && run.record->exit_code) {
    append_json_integer(*run.record->exit_code, out);
  } else {
    out += "null";
  }
  out += ",\"files\":";
  append_files(run.record, run.reference, out);
  out += ",\"host\":";
  if (run.record != nullptr) {
    append_text(run.record->host, out);
  } else {
    out += "null";
  }
  out += ",\"input\":";
  append_text(run.input, out);
  out += ",\"key\":";
  append_text(run.key, out);
  out += ",\"label\":";
  append_text(run.label, out);
  out += ",\"links\":";
  append_value(any.links, out);
  out += ",\"log\":";
  append_log(run.record, out);
  out += ",\"metrics\":";
  append_metrics(run.metrics, out);
  out += ",\"params\":";
  append_value(any.params, out);
  out += ",\"reason\":";
  if (const std::string reason = explain(defs, run); !reason.empty()) {
    append_text(reason, out);
  } else {
    out += "null";
  }
  out += ",\"reference_log\":";
  append_log(run.reference, out);
  out += ",\"reference_status\":";
  append_status(run.reference, out);
  out += ",\"status\":";
  append_status(run.record, out);
  out += ",\"timing\":";
  if (run.record != nullptr) {
    const auto& t = run.record->timing;
    out += "{\"peak_rss_kb\":";
    append_json_integer(t.peak_rss_kb, out);
    out += ",\"sys_s\":";
    append_json_number(t.sys_s, out);
    out += ",\"user_s\":";
    append_json_number(t.user_s, out);
    out += ",\"wall_s\":";
    append_json_number(t.wall_s, out);
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"verdict\":";
  append_text(to_string(run.verdict), out);
  out += '}';
}

json verdict_to_json(const Verdict& verdict) {
  return json{{"passed", verdict.passed},
              {"gate", to_string(verdict.gate)},
              {"why", verdict.why},
              {"title", verdict_title(verdict)}};
}

json links_to_json(const ReportLinks& links) {
  const auto url = [](const std::string& value) {
    return value.empty() ? json(nullptr) : json(value);
  };
  return json{{"commit", url(links.commit)},
              {"merge_request", url(links.merge_request)},
              {"job", url(links.job)},
              {"history", url(links.history)}};
}

json metric_defs_to_json(const Comparison& comparison) {
  json result = json::array();
  const auto& main = comparison.defs.main();
  for (const auto& name : comparison.metric_order) {
    const core::MetricDef def = comparison.defs.get(name);
    result.push_back(json{{"name", def.name},
                          {"label", def.label},
                          {"short_label", def.short_label},
                          {"smaller_is_better", def.smaller_is_better},
                          {"target", optional_number(def.target)},
                          {"scale", def.scale},
                          {"suffix", def.suffix},
                          {"precision", def.precision},
                          {"tolerance", def.tolerance},
                          {"declared", def.declared},
                          {"main", std::find(main.begin(), main.end(), name) != main.end()},
                          {"informational", def.informational}});
  }
  return result;
}

std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void write_report_json(const Comparison& comparison, std::string_view generated_at,
                       const TextSink& sink) {
  json groups = json::array();
  for (const auto& group : comparison.groups) {
    json metrics = json::object();
    for (const auto& aggregate : group.metrics) {
      metrics[aggregate.name] = json{{"value", stats_to_json(aggregate.value)},
                                     {"reference", stats_to_json(aggregate.reference)}};
    }
    groups.push_back(json{{"label", group.label},
                          {"config", group.config},
                          {"counts", counts_to_json(group.counts)},
                          {"metrics", std::move(metrics)}});
  }
  const std::pair<const char*, json> fields[] = {
      {"schema", k_report_schema},
      {"project", comparison.project},
      {"commit", comparison.commit},
      {"branch", comparison.branch ? json(*comparison.branch) : json(nullptr)},
      {"verdict", verdict_to_json(judge(comparison))},
      {"links", links_to_json(comparison.links)},
      {"reference", comparison.reference},
      {"generated_at", generated_at},
      {"qatools_version", k_version},
      {"metrics", metric_defs_to_json(comparison)},
      {"totals", counts_to_json(comparison.totals)},
      {"groups", std::move(groups)},
      {"optimization", comparison.optimization ? comparison.optimization->document : json()},
  };
  std::string head = "{";
  for (const auto& [name, value] : fields) {
    if (value.is_null() && std::string_view(name) == "optimization") {
      continue;  // an optional addition: absent, not null, without an optimization
    }
    head += fmt::format("{}\"{}\": {},\n", head.size() == 1 ? "" : " ", name, dump_json(value));
  }
  head += " \"runs\": [";
  sink(head);
  // Runs are turned into text in parallel, a chunk at a time, and written in order: each worker
  // writes its range of runs into one string, kept at the range's first index.
  constexpr std::size_t k_chunk = 1024;
  const auto& runs = comparison.runs;
  std::vector<std::string> texts;
  for (std::size_t start = 0; start < runs.size(); start += k_chunk) {
    const std::size_t count = std::min(k_chunk, runs.size() - start);
    texts.assign(count, std::string());
    util::parallel_for(count, [&](std::size_t begin, std::size_t end) {
      std::string& text = texts[begin];
      for (std::size_t i = begin; i < end; ++i) {
        text += start + i == 0 ? "\n  " : ",\n  ";
        append_run_json(runs[start + i], comparison.defs, text);
      }
    });
    for (const auto& text : texts) {
      if (!text.empty()) {
        sink(text);
      }
    }
  }
  sink("\n]}\n");
}

}  // namespace qa::report
