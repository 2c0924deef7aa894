#pragma once

#include <string_view>

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

}  // namespace qa::report
