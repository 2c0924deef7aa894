#include <qa/report/history.hpp>

#include <algorithm>
#include <set>

#include <qa/report/report_json.hpp>
#include <qa/version.hpp>

namespace qa::report {

using nlohmann::json;

History make_history(std::string project, std::string branch, std::vector<std::string> batches,
                     std::vector<HistoryInput> inputs, const core::MetricDefs& defs) {
  History history;
  history.project = std::move(project);
  history.branch = std::move(branch);
  history.batches = std::move(batches);
  history.defs = defs;
  // Each commit's aggregates are those of a report of its runs without a reference.
  std::vector<Comparison> comparisons;
  for (auto& input : inputs) {
    HistoryCommit commit;
    commit.sha = std::move(input.sha);
    commit.subject = std::move(input.subject);
    commit.date = std::move(input.date);
    commit.source = std::move(input.source);
    commit.has_results = !input.records.empty();
    if (commit.has_results) {
      comparisons.push_back(compare(std::move(input.records), {}, defs, CompareOptions{}));
      ++history.with_results;
    } else {
      ++history.gaps;
    }
    history.commits.push_back(std::move(commit));
  }
  // The metrics in the order of the reports: main and declared ones first, then the others in
  // the order of the newest commit that has them; only those a group has a value of.
  std::set<std::string, std::less<>> present;
  for (const auto& comparison : comparisons) {
    for (const auto& group : comparison.groups) {
      for (const auto& metric : group.metrics) {
        present.insert(metric.name);
      }
    }
  }
  std::set<std::string, std::less<>> ordered;
  const auto add = [&](const std::string& name) {
    if (present.contains(name) && ordered.insert(name).second) {
      history.metric_order.push_back(name);
    }
  };
  std::for_each(defs.main().begin(), defs.main().end(), add);
  std::for_each(defs.declared().begin(), defs.declared().end(), add);
  for (const auto& comparison : comparisons) {
    std::for_each(comparison.metric_order.begin(), comparison.metric_order.end(), add);
  }
  std::size_t next = 0;
  for (auto& commit : history.commits) {
    if (!commit.has_results) {
      continue;
    }
    const Comparison& comparison = comparisons[next++];
    commit.totals = comparison.totals;
    for (const auto& group : comparison.groups) {
      HistoryGroup out{group.label, group.config, group.counts, {}};
      for (const auto& name : history.metric_order) {
        const auto found = std::find_if(group.metrics.begin(), group.metrics.end(),
                                        [&](const MetricAggregate& m) { return m.name == name; });
        if (found != group.metrics.end()) {
          out.metrics.emplace_back(name, found->value);
        }
      }
      commit.groups.push_back(std::move(out));
    }
  }
  return history;
}

json history_to_json(const History& history, std::string_view generated_at) {
  Comparison defs_only;  // metric_defs_to_json reads only the definitions and their order
  defs_only.defs = history.defs;
  defs_only.metric_order = history.metric_order;
  json commits = json::array();
  for (const auto& commit : history.commits) {
    json groups = json::array();
    for (const auto& group : commit.groups) {
      json metrics = json::object();
      for (const auto& [name, stats] : group.metrics) {
        metrics[name] = stats_to_json(stats);
      }
      groups.push_back(json{{"label", group.label},
                            {"config", group.config},
                            {"counts", counts_to_json(group.counts)},
                            {"metrics", std::move(metrics)}});
    }
    commits.push_back(json{{"sha", commit.sha},
                           {"subject", commit.subject ? json(*commit.subject) : json(nullptr)},
                           {"date", commit.date ? json(*commit.date) : json(nullptr)},
                           {"source", commit.source},
                           {"has_results", commit.has_results},
                           {"totals", counts_to_json(commit.totals)},
                           {"groups", std::move(groups)}});
  }
  return json{{"schema", k_history_schema},
              {"project", history.project},
              {"branch", history.branch},
              {"batches", history.batches},
              {"generated_at", generated_at},
              {"qatools_version", k_version},
              {"metrics", metric_defs_to_json(defs_only)},
              {"commits_with_results", history.with_results},
              {"gaps", history.gaps},
              {"commits", std::move(commits)}};
}

}  // namespace qa::report
