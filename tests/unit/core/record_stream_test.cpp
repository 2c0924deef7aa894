#include <qa/core/record_stream.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <sstream>
#include <string>

#include "support/expect.hpp"
#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

// Return the JSON line of a record of `key`.
std::string record_line(const std::string& key) {
  RunRecord record;
  record.project = "acme/demo";
  record.commit = std::string(40, 'a');
  record.key = key;
  record.input = "a.png";
  record.status = RunStatus::ok;
  return to_json(record).dump();
}

std::string key_of(int i) { return "default/base/" + std::to_string(i) + ".png"; }

TEST(RecordStreamTest, ReadsEveryLineInOrderSkippingBlankOnes) {
  const std::string text = record_line(key_of(1)) + "\n\n  \t\r\n" + record_line(key_of(2)) +
                           "\r\n" + record_line(key_of(3));  // no final newline
  const auto records = parse_record_lines(text, "stream");
  ASSERT_TRUE(records) << records.error().message;
  ASSERT_EQ(records->size(), 3U);
  EXPECT_EQ((*records)[0].key, key_of(1));
  EXPECT_EQ((*records)[1].key, key_of(2));
  EXPECT_EQ((*records)[2].key, key_of(3));
  EXPECT_EQ((*records)[2].project, "acme/demo");
  EXPECT_TRUE(parse_record_lines("", "stream")->empty());
  EXPECT_TRUE(parse_record_lines("\n\n", "stream")->empty());
}

TEST(RecordStreamTest, AnInvalidLineIsAnErrorNamingTheOriginAndTheLine) {
  const std::string text = record_line(key_of(1)) + "\n\n{\"schema\": \"qa.run/1\"\n";
  const auto records = parse_record_lines(text, "runs.jsonl");
  ASSERT_FALSE(records);
  EXPECT_CONTAINS(records.error().message, "runs.jsonl line 3");
  EXPECT_FALSE(parse_record_lines("[1, 2]\n", "stream"));
  EXPECT_FALSE(parse_record_lines("{\"schema\": \"qa.other/1\"}\n", "stream"));
}

TEST(RecordStreamTest, LongStreamsKeepTheirOrderAndReportTheFirstBadLine) {
  std::string text;
  for (int i = 1; i <= 1200; ++i) {
    text += (i == 700 || i == 1100 ? std::string("not json") : record_line(key_of(i))) + "\n";
  }
  const auto bad = parse_record_lines(text, "stdin");
  ASSERT_FALSE(bad);
  EXPECT_CONTAINS(bad.error().message, "stdin line 700");
  text.clear();
  for (int i = 1; i <= 1200; ++i) {
    text += record_line(key_of(i)) + "\n";
  }
  std::istringstream in(text);
  const auto records = read_record_stream(in, "stdin");
  ASSERT_TRUE(records) << records.error().message;
  ASSERT_EQ(records->size(), 1200U);
  for (int i = 0; i < 1200; ++i) {
    ASSERT_EQ((*records)[static_cast<std::size_t>(i)].key, key_of(i + 1));
  }
}

TEST(RecordStreamTest, ReadsTheStandardInput) {
  const test::TempDir tmp;
  test::write_text(tmp / "runs.jsonl", record_line(key_of(7)) + "\nnot json\n");
  const int saved = ::dup(STDIN_FILENO);
  const int file = ::open((tmp / "runs.jsonl").c_str(), O_RDONLY);
  ASSERT_GE(file, 0);
  ::dup2(file, STDIN_FILENO);
  ::close(file);
  const auto records = read_stdin_records();
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  ASSERT_FALSE(records);
  EXPECT_CONTAINS(records.error().message, "stdin line 2");
}

}  // namespace
}  // namespace qa::core
