#pragma once

// Where the comment of `qa-report --comment` goes, read from the CI environment, and the pure
// parts of the forges' REST answers. No libcurl here (forge_comment.hpp sends the requests).
//
// GitLab (merge request notes, REST v4): CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID
// (set in merge request pipelines), the token from QA_GITLAB_TOKEN, else GITLAB_TOKEN (a
// personal, project or group access token with the `api` scope, sent as `PRIVATE-TOKEN`;
// CI_JOB_TOKEN cannot write notes and is never used), the CA bundle from CI_SERVER_TLS_CA_FILE.
// GitHub (issue comments, REST 2022-11-28): GITHUB_API_URL (default https://api.github.com),
// GITHUB_REPOSITORY (`owner/repo`), the pull request number from the event file GITHUB_EVENT_PATH
// (`pull_request.number`, or `issue.number` of an issue that is a pull request), else from
// GITHUB_REF (`refs/pull/<n>/merge`), the token from GITHUB_TOKEN (`Authorization: Bearer`).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <qa/report/review_comment.hpp>
#include <qa/util/error.hpp>

namespace qa::http {

// One merge or pull request and how to reach its comments. Paths are relative to `api_url`.
struct ForgeTarget {
  report::Forge forge = report::Forge::gitlab;
  std::string api_url;  // without final `/`
  std::string ca_bundle;
  std::string where;              // "merge request !7", "pull request #5", for messages
  std::string token_variable;     // where the token came from, for messages
  std::string comments_path;      // list (GET) and create (POST)
  std::string comment_path_base;  // + `/<id>`: edit (PUT on GitLab, PATCH on GitHub)
  // The headers of every request: the token's and the forge's. They hold the token: never
  // printed nor logged.
  std::vector<std::string> headers;
};

// Return the target of `forge` from the environment, or, when the comment must be skipped
// (outside a merge or pull request, no token, an invalid value), an error whose message says
// why and names the variable, never showing a token.
[[nodiscard]] Expected<ForgeTarget> forge_target_from_environment(report::Forge forge);

// Return the number `text` when it is a whole positive decimal number (an id, a page), or nothing.
[[nodiscard]] std::optional<std::int64_t> positive_number(std::string_view text);

// Return the number of the pull request of the GitHub event `event_json` (`pull_request.number`,
// or `issue.number` when the issue has a `pull_request`), or nothing.
[[nodiscard]] std::optional<std::int64_t> pull_request_from_event(std::string_view event_json);

// Return the pull request number of the ref `ref` (`refs/pull/<n>/merge` or `/head`), or nothing.
[[nodiscard]] std::optional<std::int64_t> pull_request_from_ref(std::string_view ref);

// Return whether the HTTP `Link` header value `link` has a `rel="next"` link.
[[nodiscard]] bool link_has_next(std::string_view link);

// Return whether the comment `body` starts with `marker` (after leading white space).
[[nodiscard]] bool has_marker(std::string_view body, std::string_view marker);

// One comment of a listing page.
struct ListedComment {
  std::int64_t id = 0;
  std::string body;
};

// Return the comments of the JSON listing page `page` (an array of objects with a numeric `id`
// and a string `body`; others are skipped), or an error when it is not such an array.
[[nodiscard]] Expected<std::vector<ListedComment>> parse_comment_page(std::string_view page);

}  // namespace qa::http
