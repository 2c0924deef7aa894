#pragma once

// The hook through which qa-report keeps one comment on a merge or pull request up to date.
// libqa does not link libcurl: the forge REST client lives in `qa_http` (http/forge_comment.hpp),
// which each tool's main registers with register_comment_poster(); without it `--comment` says
// that it is unavailable.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <qa/util/error.hpp>

namespace qa::report {

enum class Forge { gitlab, github };

// Return "gitlab" or "github".
[[nodiscard]] std::string_view forge_name(Forge forge);

// Return "merge request" (GitLab) or "pull request" (GitHub), for messages.
[[nodiscard]] std::string_view review_noun(Forge forge);

// What to post: the comment `body` (the Markdown summary), found again by `marker`, the hidden
// first line of the body (`<!-- qa-report:<labels> -->`).
struct CommentRequest {
  Forge forge = Forge::gitlab;
  std::string marker;
  std::string body;
};

// What a poster did: created or updated the comment (`detail` says which, e.g. "note 12 on
// merge request !7"), or skipped it (`detail` says why, naming the variable that is missing:
// outside a merge request, no token). A skip is not an error: nothing was sent.
enum class CommentAction { created, updated, skipped };
struct CommentOutcome {
  CommentAction action = CommentAction::skipped;
  std::string detail;
};

// Create or update the comment of `request` on the current merge or pull request; an error when
// the forge could not be reached or refused (the message never shows a token).
using CommentPoster = std::function<Expected<CommentOutcome>(const CommentRequest& request)>;

// Make comment_poster() return `poster` (replacing any earlier one). Thread-safe.
void register_comment_poster(CommentPoster poster);

// Return the registered poster, or an empty function when no library registered one.
[[nodiscard]] CommentPoster comment_poster();

// Return the marker of the Markdown summary `markdown`: its first line when that is a
// `<!-- qa-report:... -->` comment, else nothing.
[[nodiscard]] std::optional<std::string> markdown_marker(std::string_view markdown);

}  // namespace qa::report
