#include <algorithm>
#include <set>

#include <fmt/format.h>

#include <qa/report/format.hpp>
#include <qa/report/ci_links.hpp>
#include <qa/report/optimization_writers.hpp>
#include <qa/report/report_writers.hpp>
#include <qa/report/verdict.hpp>
#include <qa/util/escape.hpp>

namespace qa::report {

namespace {

using util::markdown_escape;

std::string_view icon(RunVerdict verdict) {
  switch (verdict) {
    case RunVerdict::failed:
      return "❌";
    case RunVerdict::regression:
      return "🔴";
    case RunVerdict::missing:
      return "❔";
    case RunVerdict::worse:
      return "🟠";
    case RunVerdict::better:
      return "🟢";
    case RunVerdict::unchanged:
      return "⚪";
    case RunVerdict::new_run:
      return "🆕";
  }
  return "";
}

std::string run_row(const Comparison& comparison, const RunComparison& run,
                    const std::vector<core::MetricDef>& defs,
                    const std::vector<std::string>& shown) {
  std::string row = fmt::format("| {} {} | {} | {} |", icon(run.verdict), to_string(run.verdict),
                                markdown_escape(run.input), markdown_escape(run.config));
  for (const auto& def : defs) {
    row += " " + markdown_escape(metric_cell(def, run)) + " |";
  }
  row += fmt::format(" {} | {} |\n", run.bitacc ? to_string(run.bitacc->verdict) : "-",
                     markdown_escape(run_notes(comparison, run, shown)));
  return row;
}

std::string table_header(const std::vector<core::MetricDef>& defs) {
  std::string header = "| verdict | input | config |";
  std::string rule = "|---|---|---|";
  for (const auto& def : defs) {
    header += " " + markdown_escape(def.short_label) + " |";
    rule += "---|";
  }
  return header + " outputs | notes |\n" + rule + "---|---|\n";
}

// Return the table of the groups' aggregates with the rows that fit in `budget` bytes (the header
// always), counting the groups left out in `left_out`.
std::string aggregates_table(const Comparison& comparison, const std::vector<core::MetricDef>& defs,
                             std::size_t budget, std::size_t& left_out) {
  std::string out = "| label | config | runs | ok | failed | missing |";
  std::string rule = "|---|---|---|---|---|---|";
  for (const auto& def : defs) {
    out += fmt::format(" {} mean (reference) |", markdown_escape(def.short_label));
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (const auto& group : comparison.groups) {
    std::string row = fmt::format("| {} | {} | {} | {} | {} | {} |", markdown_escape(group.label),
                                  markdown_escape(group.config), group.counts.runs, group.counts.ok,
                                  group.counts.failed, group.counts.missing);
    for (const auto& def : defs) {
      const auto it = std::find_if(group.metrics.begin(), group.metrics.end(),
                                   [&](const MetricAggregate& a) { return a.name == def.name; });
      if (it == group.metrics.end() || it->value.count == 0) {
        row += " - |";
        continue;
      }
      std::string cell = markdown_escape(format_value(def, it->value.mean));
      if (it->reference.count > 0) {
        cell += " (" + markdown_escape(format_value(def, it->reference.mean)) + ")";
      }
      row += " " + cell + " |";
    }
    row += "\n";
    if (left_out > 0 || out.size() + row.size() > budget) {
      ++left_out;
      continue;
    }
    out += row;
  }
  return out;
}

// Return `labels` joined with `,` for the marker, at most k_max_marker_labels bytes of them: the
// labels that fit, then `+N` for the others.
// A URL inside Markdown's (...): parentheses and spaces percent-encoded.
std::string markdown_url(std::string_view url) {
  std::string out;
  for (const char c : url) {
    if (c == '(') {
      out += "%28";
    } else if (c == ')') {
      out += "%29";
    } else if (c == ' ') {
      out += "%20";
    } else {
      out += c;
    }
  }
  return out;
}

// " · [commit](...) · [merge request](...) · [CI job](...) · [metric history](...)" for the
// links that are known.
std::string links_line(const ReportLinks& links) {
  std::string out;
  for (const auto& link : shown_links(links)) {
    out += fmt::format(" · [{}]({})", link.name, markdown_url(link.url));
  }
  return out;
}

std::string marker_labels(const std::set<std::string>& labels) {
  constexpr std::size_t k_max_marker_labels = 200;
  std::string out;
  std::size_t listed = 0;
  for (const auto& label : labels) {
    if (out.size() + label.size() + 1 > k_max_marker_labels) {
      break;
    }
    out += (listed == 0 ? "" : ",") + label;
    ++listed;
  }
  if (listed < labels.size()) {
    out += fmt::format("{}+{}", listed == 0 ? "" : ",", labels.size() - listed);
  }
  return out;
}

// Return the summary with the aggregate and run rows that fit in `budget` bytes (see
// report_to_markdown).
std::string render(const Comparison& comparison, std::size_t budget, std::size_t max_chars) {
  // The best runs of an optimization carry the label of their evaluation, which changes from
  // one optimization to the next: the marker names the base label, so that the comment stays one.
  std::set<std::string> labels;
  if (comparison.optimization) {
    labels.insert("optimization:" + comparison.optimization->base_label);
  } else {
    for (const auto& run : comparison.runs) {
      labels.emplace(run.label);
    }
  }
  const Verdict verdict = judge(comparison);
  std::string out = fmt::format("<!-- qa-report:{} -->\n", marker_labels(labels));
  out += fmt::format("### {} qa-report {}\n\n", verdict.passed ? "✅" : "❌",
                     markdown_escape(verdict_title(verdict)));
  out += "**" + markdown_escape(headline(comparison)) + "**" + links_line(comparison.links) +
         "\n\n" + markdown_escape(counts_sentence(comparison.totals)) + "\n\n";
  if (comparison.optimization) {
    out += optimization_to_markdown(*comparison.optimization, comparison.defs) + "\n";
  }

  std::vector<core::MetricDef> defs;
  const auto shown = summary_metrics(comparison);
  for (const auto& name : shown) {
    defs.push_back(comparison.defs.get(name));
  }
  std::size_t left_out_groups = 0;
  out += aggregates_table(comparison, defs, budget > out.size() ? budget - out.size() : 0,
                          left_out_groups) +
         "\n";

  std::size_t left_out = 0;
  // Return whether a row of the section fitted.
  const auto add_rows = [&](std::string& section, bool changed) {
    bool any = false;
    for (const auto& run : comparison.runs) {
      if (is_change(run) != changed) {
        continue;
      }
      if (left_out > 0) {  // once a row did not fit, the later ones are only counted
        ++left_out;
        continue;
      }
      std::string row = run_row(comparison, run, defs, shown);
      if (out.size() + section.size() + row.size() > budget) {
        ++left_out;
        continue;
      }
      section += row;
      any = true;
    }
    return any;
  };
  const std::size_t changed = static_cast<std::size_t>(
      std::count_if(comparison.runs.begin(), comparison.runs.end(),
                    [](const RunComparison& run) { return is_change(run); }));
  const std::size_t unchanged = comparison.runs.size() - changed;
  if (changed > 0) {
    std::string section = fmt::format("#### Changed runs ({})\n\n", changed) + table_header(defs);
    if (add_rows(section, true)) {
      out += section + "\n";
    }
  }
  if (unchanged > 0) {
    std::string section =
        fmt::format("<details><summary>Unchanged runs ({})</summary>\n\n", unchanged) +
        table_header(defs);
    if (add_rows(section, false)) {
      out += section + "\n</details>\n";
    }
  }
  if (left_out_groups > 0) {
    out += fmt::format(
        "\n_{} more {} of the aggregates not shown: this summary is limited to {} characters; "
        "the HTML and JSON reports have them all._\n",
        left_out_groups, left_out_groups == 1 ? "group" : "groups", max_chars);
  }
  if (left_out > 0) {
    out += fmt::format(
        "\n_{} more {} not shown: this summary is limited to {} characters; the "
        "HTML and JSON reports have every run._\n",
        left_out, left_out == 1 ? "run" : "runs", max_chars);
  }
  return out;
}

}  // namespace

std::string report_to_markdown(const Comparison& comparison, std::size_t max_chars) {
  std::string whole = render(comparison, max_chars, max_chars);
  if (whole.size() <= max_chars) {
    return whole;
  }
  // Rows are added while they fit in a budget that keeps a reserve for the closing parts and
  // the note; when those outgrow the reserve (wide tables), the budget shrinks by the excess.
  constexpr std::size_t k_reserve = 400;
  std::size_t budget = max_chars > k_reserve ? max_chars - k_reserve : 0;
  std::string cut = render(comparison, budget, max_chars);
  while (cut.size() > max_chars && budget > 0) {
    budget -= std::min(budget, cut.size() - max_chars);
    cut = render(comparison, budget, max_chars);
  }
  if (cut.size() > max_chars) {
    // Even without rows it is too long (a long project, branch or reason, or a tiny limit): cut
    // the text itself, on a UTF-8 character boundary.
    const std::string note = fmt::format("\n\n_cut at {} characters._\n", max_chars);
    std::size_t keep = max_chars > note.size() ? max_chars - note.size() : max_chars;
    while (keep > 0 && (static_cast<unsigned char>(cut[keep]) & 0xC0U) == 0x80U) {
      --keep;
    }
    cut.resize(keep);
    if (cut.size() + note.size() <= max_chars) {
      cut += note;
    }
  }
  return cut;
}

}  // namespace qa::report
