#include <qa/report/review_comment.hpp>

#include <qa/util/hook.hpp>

#include <utility>

namespace qa::report {

namespace {

util::Hook<CommentPoster>& hook() {
  static util::Hook<CommentPoster> instance;
  return instance;
}

}  // namespace

std::string_view forge_name(Forge forge) { return forge == Forge::gitlab ? "gitlab" : "github"; }

std::string_view review_noun(Forge forge) {
  return forge == Forge::gitlab ? "merge request" : "pull request";
}

void register_comment_poster(CommentPoster poster) { hook().set(std::move(poster)); }

CommentPoster comment_poster() { return hook().get(); }

std::optional<std::string> markdown_marker(std::string_view markdown) {
  const std::string_view line = markdown.substr(0, markdown.find('\n'));
  if (!line.starts_with("<!-- qa-report:") || !line.ends_with(" -->")) {
    return std::nullopt;
  }
  return std::string(line);
}

}  // namespace qa::report
