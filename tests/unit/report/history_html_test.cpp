#include <qa/report/history_html.hpp>

#include <gtest/gtest.h>

#include <support/temp_dir.hpp>

#include <qa/report/html_report.hpp>
#include <qa/util/file.hpp>

#include "support/records.hpp"

namespace qa::report {
namespace {

const std::string k_payload = "</script><script>window.pwned=1</script>";

History hostile_history() {
  std::vector<HistoryInput> inputs;
  inputs.push_back(HistoryInput{std::string(40, 'c'),
                                k_payload,
                                "2026-11-27T10:00:00Z",
                                "git",
                                {test::run_record("default/<b>x/a.png", {{"psnr", 32.0}})}});
  return make_history("acme/<i>demo", "main<script>", {}, std::move(inputs), {});
}

TEST(HistoryHtmlTest, OneSelfContainedPageUnderTheReportsPolicy) {
  test::TempDir tmp;
  const auto path = tmp.path() / "out" / "history.html";
  std::filesystem::create_directories(path.parent_path());
  ASSERT_TRUE(write_history_html(hostile_history(), path, "2026-11-28T00:00:00Z"));
  const auto page = util::read_file(path);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_NE(page->find("content=\"default-src 'none'; script-src 'unsafe-inline'"),
            std::string::npos);
  EXPECT_NE(page->find("<script type=\"application/json\" id=\"qa-data\">{\"history\":"),
            std::string::npos);
  EXPECT_NE(page->find("\"schema\":\"qa.history/1\""), std::string::npos);
  // Data strings cannot end the data element or open markup.
  EXPECT_EQ(page->find(k_payload), std::string::npos);
  EXPECT_EQ(page->find("<b>x"), std::string::npos);
  EXPECT_EQ(page->find("<i>demo"), std::string::npos);
  EXPECT_NE(page->find("\\u003c/script\\u003e"), std::string::npos);
  EXPECT_NE(page->find("<title>qa-report history: acme/&lt;i&gt;demo main&lt;script&gt;</title>"),
            std::string::npos);
  EXPECT_NE(page->find("function historyPage()"), std::string::npos);
  EXPECT_EQ(page->find("http://"), page->find("http://www.w3.org/2000/svg"));  // nothing remote
}

TEST(HistoryHtmlTest, NoFileNameIsAnError) {
  EXPECT_FALSE(write_history_html(hostile_history(), {}, ""));
}

}  // namespace
}  // namespace qa::report
