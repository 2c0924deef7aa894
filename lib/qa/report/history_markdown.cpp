// The Markdown and text writers of the history (report/history.hpp).
#include <qa/report/history.hpp>

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

#include <qa/report/ci_links.hpp>
#include <qa/report/format.hpp>
#include <qa/util/escape.hpp>

namespace qa::report {

namespace {

using util::markdown_escape;

constexpr std::size_t k_table_metrics = 6;

// The metrics the tables show: the main ones when declared, else the first few of the order.
std::vector<std::string> shown_metrics(const History& history, std::size_t limit) {
  Comparison order_only;  // summary_metrics reads only the definitions and the order
  order_only.defs = history.defs;
  order_only.metric_order = history.metric_order;
  auto names = summary_metrics(order_only, limit);
  std::erase_if(names, [&](const std::string& name) {
    return std::find(history.metric_order.begin(), history.metric_order.end(), name) ==
           history.metric_order.end();
  });
  if (names.empty()) {  // only qatools' own metrics
    for (const auto& name : history.metric_order) {
      if (names.size() < limit) {
        names.push_back(name);
      }
    }
  }
  return names;
}

using GroupKey = std::pair<std::string, std::string>;

// Every label and config of the history, sorted.
std::vector<GroupKey> group_keys(const History& history) {
  std::vector<GroupKey> keys;
  for (const auto& commit : history.commits) {
    for (const auto& group : commit.groups) {
      keys.emplace_back(group.label, group.config);
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

const HistoryGroup* find_group(const HistoryCommit& commit, const GroupKey& key) {
  for (const auto& group : commit.groups) {
    if (group.label == key.first && group.config == key.second) {
      return &group;
    }
  }
  return nullptr;
}

const MetricStats* find_stats(const HistoryGroup* group, std::string_view name) {
  if (group == nullptr) {
    return nullptr;
  }
  for (const auto& [metric, stats] : group->metrics) {
    if (metric == name && stats.count > 0) {
      return &stats;
    }
  }
  return nullptr;
}

// The arrow of `value` against `older`: the direction of the change, and whether it is better.
std::string trend(const core::MetricDef& def, double value, const MetricStats* older) {
  if (older == nullptr) {
    return "";
  }
  if (value == older->mean) {
    return " →";
  }
  const bool up = value > older->mean;
  const bool better = up != def.smaller_is_better;
  return fmt::format(" {}{}", up ? "↑" : "↓", better ? "🟢" : "🔴");
}

std::string date_of(const HistoryCommit& commit) {
  return commit.date ? commit.date->substr(0, 10) : "-";
}

// The table of the group `key` over the first `count` commits.
std::string group_table(const History& history, const GroupKey& key,
                        const std::vector<std::string>& metrics, std::size_t count) {
  std::string out = fmt::format("\n### {} / {}\n\n| commit | date | subject | runs |",
                                markdown_escape(key.first), markdown_escape(key.second));
  std::string rule = "|---|---|---|---|";
  std::vector<core::MetricDef> defs;
  for (const auto& name : metrics) {
    defs.push_back(history.defs.get(name));
    out += " " + markdown_escape(defs.back().short_label) + " |";
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (std::size_t i = 0; i < count; ++i) {
    const HistoryCommit& commit = history.commits[i];
    const HistoryGroup* group = find_group(commit, key);
    std::string runs = "no results";
    if (commit.has_results) {
      runs = group == nullptr
                 ? "-"
                 : fmt::format("{} ok, {} failed", group->counts.ok, group->counts.failed);
    }
    out += fmt::format("| {} | {} | {} | {} |", short_commit(commit.sha), date_of(commit),
                       markdown_escape(commit.subject.value_or("")), runs);
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const MetricStats* stats = find_stats(group, metrics[m]);
      if (stats == nullptr) {
        out += " |";
        continue;
      }
      const MetricStats* older = nullptr;
      for (std::size_t j = i + 1; j < history.commits.size() && older == nullptr; ++j) {
        older = find_stats(find_group(history.commits[j], key), metrics[m]);
      }
      out += " " + markdown_escape(format_value(defs[m], stats->mean)) +
             trend(defs[m], stats->mean, older) + " |";
    }
    out += "\n";
  }
  return out;
}

std::string render(const History& history, std::string_view html_url, std::size_t count) {
  std::string out = fmt::format("## Metric history of {} ({})\n\n", markdown_escape(history.branch),
                                markdown_escape(history.project));
  if (!html_url.empty()) {
    out += fmt::format("[Charts of the history]({})\n\n", html_url);
  }
  out += fmt::format(
      "{} commits with results, {} without (gaps), newest first; each value is the mean over the "
      "group's runs, its arrow the change from the older commit (🟢 better, 🔴 worse).\n",
      history.with_results, history.gaps);
  const auto metrics = shown_metrics(history, k_table_metrics);
  for (const auto& key : group_keys(history)) {
    out += group_table(history, key, metrics, count);
  }
  if (count < history.commits.size()) {
    out += fmt::format(
        "\n{} older commits left out to keep this summary short (the JSON and HTML "
        "history have them all).\n",
        history.commits.size() - count);
  }
  return out;
}

}  // namespace

std::string history_to_markdown(const History& history, std::string_view html_url,
                                std::size_t max_chars) {
  // An unsafe link target is not written.
  const std::string_view url = is_link_target(html_url) ? html_url : std::string_view();
  std::size_t count = history.commits.size();
  std::string out = render(history, url, count);
  while (out.size() > max_chars && count > 0) {
    // Leave out the oldest commits in proportion to the excess, at least one at a time.
    const std::size_t drop =
        std::max<std::size_t>(1, count * (out.size() - max_chars) / out.size());
    count -= std::min(drop, count);
    out = render(history, url, count);
  }
  return out;
}

std::string history_to_text(const History& history) {
  std::string out =
      fmt::format("history of {} ({}): {} commits with results, {} without\n", history.branch,
                  history.project, history.with_results, history.gaps);
  const auto metrics = shown_metrics(history, 1);
  for (const auto& commit : history.commits) {
    std::string subject = commit.subject.value_or("");
    std::replace(subject.begin(), subject.end(), '\n', ' ');
    if (!commit.has_results) {
      out +=
          fmt::format("{} {} {}: no results\n", short_commit(commit.sha), date_of(commit), subject);
      continue;
    }
    out += fmt::format("{} {} {}: {} ok, {} failed", short_commit(commit.sha), date_of(commit),
                       subject, commit.totals.ok, commit.totals.failed);
    for (const auto& group : commit.groups) {
      for (const auto& name : metrics) {
        if (const MetricStats* stats = find_stats(&group, name)) {
          out += fmt::format("; {}/{} {} {}", group.label, group.config, name,
                             format_value(history.defs.get(name), stats->mean));
        }
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace qa::report
