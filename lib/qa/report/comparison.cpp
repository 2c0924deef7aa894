#include <qa/report/comparison.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <thread>
#include <unordered_map>

#include <qa/core/run_key.hpp>
#include <qa/util/parallel.hpp>
#include <qa/util/permute.hpp>

namespace qa::report {

namespace {

// Main metrics, then declared ones, then the others recorded (qatools' own last), each once.
std::vector<std::string> metric_order(const core::MetricDefs& defs,
                                      const std::vector<core::RunRecord>& records,
                                      const std::vector<core::RunRecord>& reference_records) {
  std::vector<std::string> order;
  std::set<std::string, std::less<>> seen;
  const auto add = [&](const std::string& name) {
    if (seen.insert(name).second) {
      order.push_back(name);
    }
  };
  for (const auto& name : defs.main()) {
    add(name);
  }
  for (const auto& name : defs.declared()) {
    add(name);
  }
  std::set<std::string> user;
  std::set<std::string> builtin;
  // Runs of one batch record the same metrics: a record whose names are those of the record
  // before it adds nothing and is not looked up name by name.
  const nlohmann::json::object_t* previous = nullptr;
  const auto same_names = [](const nlohmann::json::object_t& a, const nlohmann::json::object_t& b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [](const auto& x, const auto& y) { return x.first == y.first; });
  };
  for (const auto* list : {&records, &reference_records}) {
    for (const auto& record : *list) {
      if (!record.metrics.is_object()) {
        continue;
      }
      const auto& metrics = record.metrics.get_ref<const nlohmann::json::object_t&>();
      if (previous != nullptr && same_names(metrics, *previous)) {
        continue;
      }
      previous = &metrics;
      for (const auto& [name, value] : metrics) {
        (core::is_builtin_metric(name) ? builtin : user).insert(name);
      }
    }
  }
  for (const auto& name : user) {
    add(name);
  }
  for (const auto& name : builtin) {
    add(name);
  }
  return order;
}

RunVerdict verdict_of(const RunComparison& run) {
  if (run.record == nullptr) {
    return RunVerdict::missing;
  }
  if (!core::succeeded(run.record->status)) {
    return RunVerdict::failed;
  }
  if (run.reference == nullptr) {
    return RunVerdict::new_run;
  }
  if (!core::succeeded(run.reference->status)) {
    return RunVerdict::better;  // the reference run failed, this one works
  }
  bool worse = false;
  bool better = false;
  for (const auto& metric : run.metrics) {
    if (metric.informational) {
      continue;
    }
    switch (metric.verdict) {
      case MetricVerdict::regression:
        return RunVerdict::regression;
      case MetricVerdict::worse:
      case MetricVerdict::missing:
        worse = true;
        break;
      case MetricVerdict::better:
        better = true;
        break;
      default:
        break;
    }
  }
  if (worse) {
    return RunVerdict::worse;
  }
  return better ? RunVerdict::better : RunVerdict::unchanged;
}

void count_run(Counts& counts, const RunComparison& run) {
  ++counts.runs;
  if (run.record != nullptr) {
    ++(core::succeeded(run.record->status) ? counts.ok : counts.failed);
  }
  switch (run.verdict) {
    case RunVerdict::missing:
      ++counts.missing;
      break;
    case RunVerdict::new_run:
      ++counts.new_runs;
      break;
    case RunVerdict::regression:
      ++counts.regressions;
      break;
    case RunVerdict::worse:
      ++counts.worse;
      break;
    case RunVerdict::better:
      ++counts.better;
      break;
    case RunVerdict::unchanged:
      ++counts.unchanged;
      break;
    case RunVerdict::failed:
      break;
  }
  if (run.bitacc) {
    if (run.bitacc->verdict == BitaccVerdict::identical) {
      ++counts.bit_identical;
    } else if (run.bitacc->verdict == BitaccVerdict::different) {
      ++counts.bit_different;
    }
  }
}

// Numbers are aggregated as they are, booleans as 1 and 0: the mean of `is_failed` is the
// failure rate, as QA-Board shows it.
void append_number(std::vector<double>& values, const nlohmann::json& value) {
  if (value.is_number()) {
    values.push_back(value.get<double>());
  } else if (value.is_boolean()) {
    values.push_back(value.get<bool>() ? 1.0 : 0.0);
  }
}

// The positions of metric names in the metric order.
using Positions = std::unordered_map<std::string_view, std::size_t>;

// The runs grouped by label and config, with their counts and aggregates (metrics in `order`,
// whose positions `position` gives).
std::vector<Group> group_runs(const std::vector<RunComparison>& runs,
                              const std::vector<std::string>& order, const Positions& position) {
  using Id = std::pair<std::string_view, std::string_view>;
  std::map<Id, std::vector<const RunComparison*>> members;
  // Runs come sorted by verdict and key: mostly a group at a time.
  std::vector<const RunComparison*>* last = nullptr;
  Id last_id;
  for (const auto& run : runs) {
    const Id id{run.label, run.config};
    if (last == nullptr || id != last_id) {
      last = &members[id];
      last_id = id;
    }
    last->push_back(&run);
  }
  std::vector<Group> groups;
  std::vector<std::vector<double>> values(order.size());
  std::vector<std::vector<double>> reference_values(order.size());
  for (const auto& [id, group_runs] : members) {
    Group group;
    group.label = id.first;
    group.config = id.second;
    for (auto& list : values) {
      list.clear();
    }
    for (auto& list : reference_values) {
      list.clear();
    }
    // A run's metric comparisons hold every value of its metrics (in the order of `order`).
    for (const auto* run : group_runs) {
      count_run(group.counts, *run);
      for (const auto& metric : run->metrics) {
        const std::size_t at = position.at(metric.name);
        append_number(values[at], metric.value);
        append_number(reference_values[at], metric.reference);
      }
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (values[i].empty() && reference_values[i].empty()) {
        continue;
      }
      group.metrics.push_back({order[i], stats_of(values[i]), stats_of(reference_values[i])});
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

// Release what the reports never read of a reference run that has a new run (see compare).
void slim(core::RunRecord& reference) {
  nlohmann::json().swap(reference.configs);
  nlohmann::json().swap(reference.params);
  nlohmann::json().swap(reference.metrics);
  nlohmann::json().swap(reference.badges);
  nlohmann::json().swap(reference.links);
  std::string().swap(reference.output_dir);
  std::string().swap(reference.started_at);
  std::string().swap(reference.host);
  std::string().swap(reference.qatools_version);
}

// The values of `record`'s metrics at their positions in the metric order (`position`), null
// where the record has none; `out` is reused from run to run.
void metric_values(const core::RunRecord* record, const Positions& position,
                   std::vector<const nlohmann::json*>& out) {
  static const nlohmann::json k_null = nullptr;
  std::fill(out.begin(), out.end(), &k_null);
  if (record == nullptr || !record->metrics.is_object()) {
    return;
  }
  for (const auto& [name, value] : record->metrics.get_ref<const nlohmann::json::object_t&>()) {
    if (const auto it = position.find(name); it != position.end()) {
      out[it->second] = &value;
    }
  }
}

}  // namespace

MetricComparison compare_metric(const core::MetricDef& def, const nlohmann::json& value,
                                const nlohmann::json& reference) {
  MetricComparison result;
  result.name = def.name;
  result.value = value;
  result.reference = reference;
  result.informational = def.informational;
  if (reference.is_null()) {
    result.verdict = value.is_null() ? MetricVerdict::unchanged : MetricVerdict::new_metric;
    return result;
  }
  if (value.is_null()) {
    result.verdict = MetricVerdict::missing;
    return result;
  }
  if (!value.is_number() || !reference.is_number()) {
    result.verdict = value == reference ? MetricVerdict::unchanged : MetricVerdict::changed;
    return result;
  }
  const double new_value = value.get<double>();
  const double old_value = reference.get<double>();
  const double delta = new_value - old_value;
  result.delta = delta;
  if (old_value != 0) {
    result.relative = delta / std::fabs(old_value);
  }
  if (delta == 0) {
    result.verdict = MetricVerdict::unchanged;
  } else if (def.informational) {
    // qatools' own measures (compute_time, peak_rss_mb) vary from run to run: a change is shown,
    // never called better or worse, unless the metrics file declares the metric.
    result.verdict = MetricVerdict::changed;
  } else if ((delta < 0) == def.smaller_is_better) {
    result.verdict = MetricVerdict::better;
  } else if (result.relative && std::fabs(*result.relative) <= def.tolerance) {
    result.verdict = MetricVerdict::worse;
  } else {
    result.verdict = MetricVerdict::regression;
  }
  return result;
}

MetricStats stats_of(std::vector<double> values) {
  MetricStats stats;
  stats.count = values.size();
  if (values.empty()) {
    return stats;
  }
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (const double value : values) {
    sum += value;
  }
  stats.mean = sum / static_cast<double>(values.size());
  const std::size_t middle = values.size() / 2;
  stats.median =
      values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  stats.min = values.front();
  stats.max = values.back();
  return stats;
}

Comparison compare(std::vector<core::RunRecord> records,
                   std::vector<core::RunRecord> reference_records, core::MetricDefs defs,
                   const CompareOptions& options) {
  Comparison result;
  result.records = std::move(records);
  result.reference_records = std::move(reference_records);
  result.defs = std::move(defs);
  if (!result.records.empty()) {
    result.project = result.records.front().project;
    result.commit = result.records.front().commit;
    result.branch = result.records.front().branch;
  }
  // The steps that walk every record once are memory bound: two at a time, one per core.
  std::unordered_map<std::string_view, std::size_t> by_key;  // key -> its place in `unique`
  std::vector<const core::RunRecord*> unique;
  std::unordered_map<std::string_view, const core::RunRecord*> reference_by_key;
  {
    const std::jthread order_thread([&] {
      result.metric_order = metric_order(result.defs, result.records, result.reference_records);
    });
    // A key recorded twice (a rerun in one stream) counts once: the later record wins.
    by_key.reserve(result.records.size());
    unique.reserve(result.records.size());
    for (const auto& record : result.records) {
      if (auto [it, inserted] = by_key.try_emplace(record.key, unique.size()); inserted) {
        unique.push_back(&record);
      } else {
        unique[it->second] = &record;
      }
    }
    reference_by_key.reserve(result.reference_records.size());
    for (const auto& record : result.reference_records) {
      reference_by_key[record.key] = &record;
    }
  }
  std::vector<core::MetricDef> defs_in_order;
  Positions position;
  for (const auto& name : result.metric_order) {
    position.emplace(name, defs_in_order.size());
    defs_in_order.push_back(result.defs.get(name));
  }

  std::vector<std::pair<const core::RunRecord*, const core::RunRecord*>> pairs;
  pairs.reserve(unique.size() + result.reference_records.size());
  for (const auto* record : unique) {
    const auto it = reference_by_key.find(record->key);
    pairs.emplace_back(record, it == reference_by_key.end() ? nullptr : it->second);
  }
  for (const auto& reference : result.reference_records) {
    if (!by_key.contains(reference.key) && reference_by_key[reference.key] == &reference) {
      pairs.emplace_back(nullptr, &reference);
    }
  }
  // Runs are compared in parallel: each only reads its two records.
  result.runs.resize(pairs.size());
  util::parallel_for(pairs.size(), [&](std::size_t begin, std::size_t end) {
    std::vector<const nlohmann::json*> values(defs_in_order.size());
    std::vector<const nlohmann::json*> reference_values(defs_in_order.size());
    for (std::size_t i = begin; i < end; ++i) {
      const auto [record, reference] = pairs[i];
      const core::RunRecord& any = record != nullptr ? *record : *reference;
      RunComparison& run = result.runs[i];
      run.key = any.key;
      run.label = any.label;
      run.config = core::key_config(any.key);
      run.input = any.input;
      run.record = record;
      run.reference = reference;
      if (record != nullptr) {
        run.bitacc = compare_outputs(*record, reference, options.selection, options.strict);
      }
      metric_values(record, position, values);
      metric_values(reference, position, reference_values);
      std::size_t compared = 0;
      for (std::size_t m = 0; m < defs_in_order.size(); ++m) {
        compared += !values[m]->is_null() || !reference_values[m]->is_null();
      }
      run.metrics.reserve(compared);
      for (std::size_t m = 0; m < defs_in_order.size(); ++m) {
        if (values[m]->is_null() && reference_values[m]->is_null()) {
          continue;
        }
        run.metrics.push_back(compare_metric(defs_in_order[m], *values[m], *reference_values[m]));
      }
      run.verdict = verdict_of(run);
      // Of a reference run that has a new run, the reports show its status, files and log (its
      // metrics are now in the run's comparison): the rest is released, and its memory serves
      // the next runs' comparisons.
      if (record != nullptr && reference != nullptr) {
        slim(result.reference_records[static_cast<std::size_t>(reference -
                                                               result.reference_records.data())]);
      }
    }
  });
  // The runs are sorted by verdict, then key (the order is found on indices, then each run moves
  // once) while another thread aggregates them: neither the counts nor the statistics depend on
  // the order of the runs.
  std::vector<std::size_t> order(result.runs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  {
    const std::jthread group_thread([&] {
      for (const auto& run : result.runs) {
        count_run(result.totals, run);
      }
      result.groups = group_runs(result.runs, result.metric_order, position);
    });
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const RunComparison& x = result.runs[a];
      const RunComparison& y = result.runs[b];
      return std::tie(x.verdict, x.key) < std::tie(y.verdict, y.key);
    });
  }
  util::apply_permutation(result.runs, order);
  return result;
}

std::string_view to_string(MetricVerdict verdict) {
  switch (verdict) {
    case MetricVerdict::better:
      return "better";
    case MetricVerdict::worse:
      return "worse";
    case MetricVerdict::regression:
      return "regression";
    case MetricVerdict::unchanged:
      return "unchanged";
    case MetricVerdict::changed:
      return "changed";
    case MetricVerdict::new_metric:
      return "new";
    case MetricVerdict::missing:
      return "missing";
  }
  return "unknown";
}

std::string_view to_string(RunVerdict verdict) {
  switch (verdict) {
    case RunVerdict::failed:
      return "failed";
    case RunVerdict::regression:
      return "regression";
    case RunVerdict::missing:
      return "missing";
    case RunVerdict::worse:
      return "worse";
    case RunVerdict::better:
      return "better";
    case RunVerdict::unchanged:
      return "unchanged";
    case RunVerdict::new_run:
      return "new";
  }
  return "unknown";
}

bool is_change(const RunComparison& run) {
  return run.verdict != RunVerdict::unchanged ||
         (run.bitacc && run.bitacc->verdict == BitaccVerdict::different);
}

}  // namespace qa::report
