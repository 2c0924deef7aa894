#include <qa/report/review_comment.hpp>

#include <gtest/gtest.h>

namespace qa::report {
namespace {

TEST(ReviewComment, MarkerIsTheFirstLine) {
  EXPECT_EQ(markdown_marker("<!-- qa-report:nightly -->\n## qa-report\n"),
            "<!-- qa-report:nightly -->");
  EXPECT_EQ(markdown_marker("<!-- qa-report:a,b -->"), "<!-- qa-report:a,b -->");
  EXPECT_EQ(markdown_marker("## qa-report\n<!-- qa-report:nightly -->\n"), std::nullopt);
  EXPECT_EQ(markdown_marker(""), std::nullopt);
}

TEST(ReviewComment, PosterIsRegistered) {
  const CommentPoster before = comment_poster();
  register_comment_poster([](const CommentRequest& request) -> Expected<CommentOutcome> {
    return CommentOutcome{CommentAction::skipped, std::string(forge_name(request.forge))};
  });
  const auto poster = comment_poster();
  ASSERT_TRUE(poster);
  const auto outcome = poster(CommentRequest{Forge::github, "m", "b"});
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->detail, "github");
  EXPECT_EQ(review_noun(Forge::gitlab), "merge request");
  register_comment_poster(before);
}

}  // namespace
}  // namespace qa::report
