#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <qa/report/comparison.hpp>

namespace qa::report {

// A table for a terminal: what was compared, the counts, the optimization in one line when there
// is one, one line per changed run with its main metrics, then the mean of each metric per label
// and config against the reference's.
[[nodiscard]] std::string report_to_text(const Comparison& comparison);

// A summary for a merge-request comment or a GitHub job summary (GitHub/GitLab-flavoured
// Markdown). It starts with the hidden marker `<!-- qa-report:<labels> -->` (labels joined by
// `,`, at most 200 bytes of them, then `+N` for the others; `optimization:<base label>` for the
// best runs of an optimization) so that a bot can find and update its comment; then the counts,
// the optimization's section (optimization_writers.hpp) when there is one, the aggregates per
// label and config, the changed runs, and the unchanged runs folded in `<details>`. It holds at
// most `max_chars` bytes: aggregate and run rows that do not fit are left out, with a note that
// says how many; when even the rest does not fit (a tiny limit, a huge project or branch name), the
// text is cut, with a note.
inline constexpr std::size_t k_markdown_limit = 60000;
[[nodiscard]] std::string report_to_markdown(const Comparison& comparison,
                                             std::size_t max_chars = k_markdown_limit);

// JUnit XML (valid against jenkins-junit.xsd): a suite per label, a testcase per run
// (classname: config, name: input, time: wall seconds). A failed run, outputs that differ from
// the reference and a regression are failures; a run without reference, and a missing run, are
// skipped.
[[nodiscard]] std::string report_to_junit(const Comparison& comparison);

// The same JUnit XML passed to `sink` piece by piece, in order: for files too big to assemble in
// memory first.
void write_report_junit(const Comparison& comparison,
                        const std::function<void(std::string_view)>& sink);

// OpenMetrics text for GitLab's metrics report (`metrics.txt`): per label and config, the mean
// and median of each numeric metric (`qa_<metric>_mean{label="...",config="..."}`) and the run
// counts (`qa_runs{label,config,status}`), ending with `# EOF`.
[[nodiscard]] std::string report_to_openmetrics(const Comparison& comparison);

}  // namespace qa::report
