#include <qa/report/bitacc_writers.hpp>

#include <fmt/core.h>

#include <map>

#include <qa/util/escape.hpp>

namespace qa::report {

using nlohmann::json;

namespace {

json summary_of(const BitaccReport& report) {
  return json{{"runs", report.runs.size()},
              {"identical", report.count(BitaccVerdict::identical)},
              {"different", report.count(BitaccVerdict::different)},
              {"reference_missing", report.count(BitaccVerdict::reference_missing)},
              {"failed", report.count(BitaccVerdict::failed)}};
}

// The words a reader sees for a verdict or a file change: against golden manifests, "golden"
// where a commit's check says "reference".
std::string_view word(const BitaccReport& report, BitaccVerdict verdict) {
  if (report.golden && verdict == BitaccVerdict::reference_missing) {
    return "no golden manifest";
  }
  return to_string(verdict);
}

std::string_view word(const BitaccReport& report, FileChange change) {
  if (report.golden && change == FileChange::only_reference) {
    return "only-golden";
  }
  return to_string(change);
}

std::string summary_line(const BitaccReport& report) {
  std::string line = fmt::format(
      "{} runs: {} identical, {} different, {} without {}, {} failed", report.runs.size(),
      report.count(BitaccVerdict::identical), report.count(BitaccVerdict::different),
      report.count(BitaccVerdict::reference_missing),
      report.golden ? "golden manifest" : "reference", report.count(BitaccVerdict::failed));
  if (report.golden) {
    line += fmt::format(" (golden manifests in {})", quote(*report.golden));
  } else if (report.reference.contains("commit")) {
    line += fmt::format(" (reference {}: {})",
                        report.reference["commit"].get<std::string>().substr(0, 12),
                        report.reference.value("reason", ""));
  }
  return line;
}

std::string describe(const RunBitacc& run) {
  std::size_t changed = 0;
  std::size_t one_sided = 0;
  for (const auto& diff : run.diffs) {
    (diff.change == FileChange::changed ? changed : one_sided) += 1;
  }
  return fmt::format("{} changed, {} on one side only", changed, one_sided);
}

// Which part of a GitHub workflow command a text goes into.
enum class WorkflowPart { data, property };

// Return `text` escaped as GitHub's toolkit does: `%`, CR and LF always; `:` and `,` too in a
// property (`title=...`), which the runner splits on.
std::string workflow_escape(std::string_view text, WorkflowPart part) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '%':
        escaped += "%25";
        break;
      case '\r':
        escaped += "%0D";
        break;
      case '\n':
        escaped += "%0A";
        break;
      case ':':
        escaped += part == WorkflowPart::property ? "%3A" : ":";
        break;
      case ',':
        escaped += part == WorkflowPart::property ? "%2C" : ",";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

}  // namespace

json bitacc_to_json(const BitaccReport& report) {
  json runs = json::array();
  for (const auto& run : report.runs) {
    json files = json::array();
    for (const auto& diff : run.diffs) {
      json file{{"path", diff.path}, {"change", to_string(diff.change)}};
      if (diff.entry) {
        file["xxh128"] = diff.entry->hash.hex();
        file["size"] = diff.entry->size;
      }
      if (diff.reference_entry) {
        file["reference_xxh128"] = diff.reference_entry->hash.hex();
        file["reference_size"] = diff.reference_entry->size;
      }
      files.push_back(std::move(file));
    }
    runs.push_back(json{{"key", run.key},
                        {"input", run.input},
                        {"label", run.label},
                        {"config", run.config},
                        {"verdict", to_string(run.verdict)},
                        {"compared", run.compared},
                        {"files", std::move(files)}});
  }
  return json{{"schema", "qa.bitacc/1"},
              {"reference", report.golden ? json{{"golden", *report.golden}} : report.reference},
              {"summary", summary_of(report)},
              {"runs", std::move(runs)}};
}

std::string bitacc_to_text(const BitaccReport& report) {
  std::string out;
  for (const auto& run : report.runs) {
    switch (run.verdict) {
      case BitaccVerdict::failed:
        out += fmt::format("failed             {}\n", run.key);
        break;
      case BitaccVerdict::reference_missing:
        out += fmt::format("{:<18} {}\n", report.golden ? "no golden manifest" : "no reference",
                           run.key);
        break;
      case BitaccVerdict::identical:
      case BitaccVerdict::different:
        for (const auto& diff : run.diffs) {
          out += fmt::format("{:<18} {}  {}\n", word(report, diff.change), run.key, diff.path);
        }
        break;
    }
  }
  out += summary_line(report) + "\n";
  return out;
}

std::string bitacc_to_markdown(const BitaccReport& report) {
  std::string out = "### Bit-accuracy\n\n";
  const bool clean = report.outcome() == BitaccOutcome::identical;
  out += fmt::format("{} {}\n\n", clean ? "✅" : "❌", util::markdown_escape(summary_line(report)));
  bool header = false;
  for (const auto& run : report.runs) {
    if (run.verdict == BitaccVerdict::identical && run.diffs.empty()) {
      continue;
    }
    if (!header) {
      out += "| run | verdict | files |\n|---|---|---|\n";
      header = true;
    }
    std::string files;
    for (const auto& diff : run.diffs) {
      files += fmt::format("{}`{}` ({})", files.empty() ? "" : "<br>",
                           util::markdown_escape(diff.path), word(report, diff.change));
    }
    out += fmt::format("| {} | {} | {} |\n", util::markdown_escape(run.key),
                       word(report, run.verdict), files);
  }
  return out;
}

std::string bitacc_to_junit(const BitaccReport& report) {
  std::map<std::string, std::vector<const RunBitacc*>> suites;
  for (const auto& run : report.runs) {
    suites[run.label].push_back(&run);
  }
  std::size_t failures = 0;
  for (const auto& run : report.runs) {
    failures += run.verdict == BitaccVerdict::different || run.verdict == BitaccVerdict::failed;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"qa-bitacc\" tests=\"{}\" failures=\"{}\">\n",
                     report.runs.size(), failures);
  for (const auto& [label, runs] : suites) {
    std::size_t suite_failures = 0;
    std::size_t skipped = 0;
    for (const auto* run : runs) {
      suite_failures +=
          run->verdict == BitaccVerdict::different || run->verdict == BitaccVerdict::failed;
      skipped += run->verdict == BitaccVerdict::reference_missing;
    }
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
        util::xml_escape(label), runs.size(), suite_failures, skipped);
    for (const auto* run : runs) {
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"",
                         util::xml_escape(run->config), util::xml_escape(run->input));
      switch (run->verdict) {
        case BitaccVerdict::identical:
          out += "/>\n";
          break;
        case BitaccVerdict::reference_missing:
          out += report.golden
                     ? ">\n      <skipped message=\"no golden manifest\"/>\n    </testcase>\n"
                     : ">\n      <skipped/>\n    </testcase>\n";
          break;
        case BitaccVerdict::failed:
          out +=
              ">\n      <failure message=\"the run failed\" type=\"failed\"/>\n    </testcase>\n";
          break;
        case BitaccVerdict::different: {
          std::string body;
          for (const auto& diff : run->diffs) {
            body += fmt::format("{} {}\n", word(report, diff.change), diff.path);
          }
          out += fmt::format(
              ">\n      <failure message=\"{}\" type=\"bit-accuracy\">{}</failure>\n    "
              "</testcase>\n",
              util::xml_escape(describe(*run)), util::xml_escape(body));
          break;
        }
      }
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

std::string bitacc_to_github_annotations(const BitaccReport& report, std::size_t limit) {
  std::string out;
  std::size_t written = 0;
  for (const auto& run : report.runs) {
    if (written == limit) {
      break;
    }
    if (run.verdict != BitaccVerdict::different && run.verdict != BitaccVerdict::failed) {
      continue;
    }
    const std::string message =
        run.verdict == BitaccVerdict::failed
            ? std::string("the run failed")
            : describe(run) + ": " + (run.diffs.empty() ? std::string() : run.diffs.front().path);
    out += fmt::format("::error title={}::{}\n",
                       workflow_escape("qa-bitacc " + run.key, WorkflowPart::property),
                       workflow_escape(message, WorkflowPart::data));
    ++written;
  }
  return out;
}

}  // namespace qa::report
