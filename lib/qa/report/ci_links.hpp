#pragma once

#include <string_view>
#include <vector>

#include <qa/report/comparison.hpp>

namespace qa::report {

// Return the web pages a report links to, from the variables of the CI job it runs in:
// - GitLab: the commit `CI_PROJECT_URL/-/commit/<commit>`, the merge request
//   `CI_PROJECT_URL/-/merge_requests/<CI_MERGE_REQUEST_IID>`, the job `CI_JOB_URL`;
// - GitHub Actions: the commit `GITHUB_SERVER_URL/GITHUB_REPOSITORY/commit/<commit>`, the pull
//   request of a `GITHUB_REF` `refs/pull/<N>/merge` (`.../pull/<N>`), the job's run
//   `.../actions/runs/<GITHUB_RUN_ID>` (with `/attempts/<GITHUB_RUN_ATTEMPT>` when given).
// `commit` is the compared commit (which may not be the job's). A link whose parts are missing,
// or that would not be an http(s) URL, is left empty; outside CI every link is empty.
[[nodiscard]] ReportLinks ci_links(std::string_view commit);

// Return whether `url` may be the target of a link in a report (`--history-url`): an http(s)
// URL, or a relative path (no scheme, not starting with `/` or `//`), without spaces, quotes,
// angle brackets, parentheses or control characters.
[[nodiscard]] bool is_link_target(std::string_view url);

// One link of a report's heading.
struct ShownLink {
  std::string_view name;  // "commit", "merge request", "CI job", "metric history"
  std::string_view url;
  bool external = true;  // a page of the forge or the CI (opened apart), not the report's own
};

// Return the links of `links` that a report shows, in this order: commit, merge request, CI job,
// metric history (when it is an http(s) URL or a relative path: is_link_target).
[[nodiscard]] std::vector<ShownLink> shown_links(const ReportLinks& links);

}  // namespace qa::report
