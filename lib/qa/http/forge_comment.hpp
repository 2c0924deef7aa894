#pragma once

// The forge REST client of `qa-report --comment`: one comment on the merge or pull request, found
// again by the marker of the Markdown summary and edited, else created.
//
// GitLab: GET `projects/:id/merge_requests/:iid/notes?sort=asc&order_by=created_at&per_page=100
// &page=N` (following `X-Next-Page`), then PUT `.../notes/:note_id` or POST `.../notes`.
// GitHub: GET `repos/:owner/:repo/issues/:n/comments?per_page=100&page=N` (while the `Link`
// header has `rel="next"`), then PATCH `repos/:owner/:repo/issues/comments/:id` or POST
// `repos/:owner/:repo/issues/:n/comments`. Bodies are JSON `{"body": ...}`.

#include <qa/http/forge_target.hpp>
#include <qa/report/review_comment.hpp>
#include <qa/util/error.hpp>

namespace qa::http {

// How many listing pages are read at most (100 comments each) before creating a new comment.
inline constexpr int k_max_comment_pages = 50;

// Create or update the comment of `request` on `target`: the oldest comment that starts with
// `request.marker` is edited (when it vanished meanwhile, a new one is created), else a comment
// is created. Connection errors, timeouts, 429 and 5xx answers are retried `retries` times,
// except for the creation once the server answered (it may have created the comment). Fail
// when a request is refused or cannot be sent; messages name the URL and the token's variable,
// never the token.
[[nodiscard]] Expected<report::CommentOutcome> update_review_comment(
    const ForgeTarget& target, const report::CommentRequest& request, int retries = 2);

// The poster that register_forges() registers: the target from the environment
// (forge_target_from_environment), a skip when there is none, else update_review_comment().
[[nodiscard]] Expected<report::CommentOutcome> post_review_comment(
    const report::CommentRequest& request);

}  // namespace qa::http
