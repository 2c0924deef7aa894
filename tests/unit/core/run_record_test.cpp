#include <qa/core/run_record.hpp>

#include <qa/util/json_depth.hpp>

#include <gtest/gtest.h>

#include "support/expect.hpp"

#include <cstdint>
#include <string>
#include <utility>

namespace qa::core {
namespace {

using qa::test::contains;

using nlohmann::json;

constexpr const char* k_hash_a = "0123456789abcdef0123456789abcdef";
constexpr const char* k_hash_b = "fedcba9876543210fedcba9876543210";
constexpr const char* k_hash_log = "00000000000000000000000000000001";

util::Hash128 hash(const char* hex) {
  auto parsed = util::Hash128::from_hex(hex);
  EXPECT_TRUE(parsed) << hex;
  return parsed.value_or(util::Hash128{});
}

RunRecord full_record() {
  RunRecord record;
  record.project = "acme/denoise";
  record.commit = "0123456789abcdef0123456789abcdef01234567-dirty";
  record.branch = "feature/x";
  record.label = "nightly";
  record.key = "nightly/base+strength=0.5/images-a.png";
  record.input = "images/a.png";
  record.configs = json::parse(R"(["base", {"strength": 0.5}])");
  record.params = json::parse(R"({"strength": 0.5, "nested": {"a": [1, "x"]}})");
  record.status = RunStatus::failed;
  record.exit_code = 3;
  record.metrics = json::parse(R"({"psnr": 31.2, "is_failed": true, "note": "dark"})");
  record.badges = json::parse(R"({"model": "v2"})");
  record.links = json::parse(R"({"training": "https://example.com/run/1"})");
  record.timing = Timing{1.25, 1.0, 0.125, 52000};
  record.files["out.png"] = FileEntry{hash(k_hash_a), 1234};
  record.files["sub/dir/data.bin"] = FileEntry{hash(k_hash_b), 0};
  record.log = LogFile{"/abs/output/nightly/base+strength=0.5/images-a.png/qa-run.log",
                       FileEntry{hash(k_hash_log), 80}};
  record.output_dir = "/abs/output/nightly/base+strength=0.5/images-a.png";
  record.started_at = "2026-11-25T02:30:04Z";
  record.host = "ci-runner-3";
  record.qatools_version = "0.1.0";
  return record;
}

void expect_same(const RunRecord& a, const RunRecord& b) {
  EXPECT_EQ(a.project, b.project);
  EXPECT_EQ(a.commit, b.commit);
  EXPECT_EQ(a.branch, b.branch);
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.input, b.input);
  EXPECT_EQ(a.configs, b.configs);
  EXPECT_EQ(a.params, b.params);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.exit_code, b.exit_code);
  EXPECT_EQ(a.metrics, b.metrics);
  EXPECT_EQ(a.badges, b.badges);
  EXPECT_EQ(a.links, b.links);
  EXPECT_DOUBLE_EQ(a.timing.wall_s, b.timing.wall_s);
  EXPECT_DOUBLE_EQ(a.timing.user_s, b.timing.user_s);
  EXPECT_DOUBLE_EQ(a.timing.sys_s, b.timing.sys_s);
  EXPECT_EQ(a.timing.peak_rss_kb, b.timing.peak_rss_kb);
  EXPECT_EQ(a.files, b.files);
  ASSERT_EQ(a.log.has_value(), b.log.has_value());
  if (a.log) {
    EXPECT_EQ(a.log->path, b.log->path);
    EXPECT_EQ(a.log->entry, b.log->entry);
  }
  EXPECT_EQ(a.output_dir, b.output_dir);
  EXPECT_EQ(a.started_at, b.started_at);
  EXPECT_EQ(a.host, b.host);
  EXPECT_EQ(a.qatools_version, b.qatools_version);
}

json valid_json() { return to_json(full_record()); }

std::string record_error(const json& value) {
  auto record = record_from_json(value, "run.json");
  EXPECT_FALSE(record) << "accepted: " << value.dump();
  return record ? std::string() : record.error().message;
}

TEST(RunRecordTest, ToJsonWritesTheSchema) {
  const json value = valid_json();
  EXPECT_EQ(value["schema"], "qa.run/1");
  EXPECT_EQ(value["status"], "failed");
  EXPECT_EQ(value["branch"], "feature/x");
  EXPECT_EQ(value["exit_code"], 3);
  EXPECT_EQ(value["files"]["out.png"],
            json::parse(R"({"xxh128": ")" + std::string(k_hash_a) + R"(", "size": 1234})"));
  EXPECT_EQ(value["log"]["path"], "/abs/output/nightly/base+strength=0.5/images-a.png/qa-run.log");
  EXPECT_EQ(value["log"]["xxh128"], k_hash_log);
  EXPECT_EQ(value["log"]["size"], 80);
  EXPECT_EQ(value["timing"], json::parse(R"({"wall_s": 1.25, "user_s": 1.0, "sys_s": 0.125,
                                             "peak_rss_kb": 52000})"));
  for (const char* key :
       {"schema",  "project", "commit", "branch",     "label",      "key",    "input",
        "configs", "params",  "status", "exit_code",  "metrics",    "badges", "links",
        "timing",  "files",   "log",    "output_dir", "started_at", "host",   "qatools_version"}) {
    EXPECT_TRUE(value.contains(key)) << key;
  }
  EXPECT_EQ(value.size(), 21u);
}

TEST(RunRecordTest, RoundTripsAFullRecord) {
  const RunRecord original = full_record();
  auto back = record_from_json(to_json(original), "test");
  ASSERT_TRUE(back) << back.error().message;
  expect_same(original, *back);
}

TEST(RunRecordTest, RoundTripsThroughOneLineOfText) {
  const RunRecord original = full_record();
  const std::string line = to_json(original).dump();
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto back = parse_record(line, "stdin line 1");
  ASSERT_TRUE(back) << back.error().message;
  expect_same(original, *back);
  EXPECT_EQ(to_json(*back).dump(), line);
}

TEST(RunRecordTest, RoundTripsAMinimalRecord) {
  RunRecord original;
  original.project = "p";
  original.commit = "0123456789abcdef0123456789abcdef01234567";
  original.key = "default/default/a.png";
  original.input = "a.png";
  const json value = to_json(original);
  EXPECT_TRUE(value["branch"].is_null());
  EXPECT_TRUE(value["exit_code"].is_null());
  EXPECT_TRUE(value["log"].is_null());
  EXPECT_EQ(value["status"], "planned");
  EXPECT_EQ(value["label"], "default");
  auto back = record_from_json(value, "test");
  ASSERT_TRUE(back) << back.error().message;
  expect_same(original, *back);
}

TEST(RunRecordTest, AProjectOrLabelThatWouldMoveTheStorePathIsRefused) {
  json value = valid_json();
  value["project"] = "../../x";
  auto record = record_from_json(value, "test");
  ASSERT_FALSE(record);
  EXPECT_NE(record.error().message.find("invalid project name \"../../x\""), std::string::npos)
      << record.error().message;
  value = valid_json();
  value["label"] = "a/b";
  record = record_from_json(value, "test");
  ASSERT_FALSE(record);
  EXPECT_NE(record.error().message.find("label \"a/b\" does not match its key"), std::string::npos)
      << record.error().message;
}

TEST(RunRecordTest, ANullOrMissingBranchIsNoBranch) {
  json value = valid_json();
  value["branch"] = nullptr;
  auto record = record_from_json(value, "test");
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_FALSE(record->branch);
  value.erase("branch");
  record = record_from_json(value, "test");
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_FALSE(record->branch);
}

TEST(RunRecordTest, OptionalFieldsMayBeAbsent) {
  json value = valid_json();
  for (const char* key : {"configs", "params", "exit_code", "metrics", "badges", "links", "timing",
                          "files", "log", "output_dir", "started_at", "host", "qatools_version"}) {
    value.erase(key);
  }
  auto record = record_from_json(value, "test");
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->configs, json::array());
  EXPECT_EQ(record->params, json::object());
  EXPECT_FALSE(record->exit_code);
  EXPECT_TRUE(record->files.empty());
  EXPECT_FALSE(record->log);
  EXPECT_EQ(record->host, "");
}

TEST(RunRecordTest, SizesWrittenAsSignedIntegersAreAccepted) {
  json value = valid_json();
  value["files"]["out.png"]["size"] = static_cast<int>(5);
  auto record = record_from_json(value, "test");
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->files.at("out.png").size, 5u);
}

TEST(RunRecordTest, AcceptsUppercaseHashes) {
  json value = valid_json();
  value["files"]["out.png"]["xxh128"] = "0123456789ABCDEF0123456789ABCDEF";
  auto record = record_from_json(value, "test");
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->files.at("out.png").hash.hex(), k_hash_a);
}

TEST(ParseRecordErrorTest, NotJson) {
  for (const char* text : {"", "not json", "{\"schema\": ", "{}{}"}) {
    auto record = parse_record(text, "stdin line 3");
    ASSERT_FALSE(record) << text;
    EXPECT_CONTAINS(record.error().message, "\"stdin line 3\"");
    EXPECT_CONTAINS(record.error().message, "not valid JSON");
  }
}

TEST(ParseRecordErrorTest, NotAnObject) {
  for (const char* text : {"[1, 2]", "3", "\"qa.run/1\"", "null"}) {
    auto record = parse_record(text, "run.json");
    ASSERT_FALSE(record) << text;
    EXPECT_CONTAINS(record.error().message, "\"run.json\"");
    EXPECT_CONTAINS(record.error().message, "not a JSON object");
  }
}

TEST(ParseRecordErrorTest, WrongOrMissingSchema) {
  json value = valid_json();
  value["schema"] = "qa.run/2";
  const std::string message = record_error(value);
  EXPECT_CONTAINS(message, "\"run.json\"");
  EXPECT_CONTAINS(message, "\"qa.run/2\"");
  value.erase("schema");
  EXPECT_CONTAINS(record_error(value), "\"schema\"");
  value["schema"] = 1;
  EXPECT_CONTAINS(record_error(value), "\"schema\"");
}

TEST(ParseRecordErrorTest, MissingOrMistypedRequiredKeys) {
  for (const char* key : {"project", "commit", "label", "key", "input", "status"}) {
    json value = valid_json();
    value.erase(key);
    EXPECT_CONTAINS(record_error(value), "\"" + std::string(key) + "\"");
    value[key] = 5;
    EXPECT_CONTAINS(record_error(value), "\"" + std::string(key) + "\"");
  }
}

TEST(ParseRecordErrorTest, MistypedOptionalKeys) {
  for (const char* key : {"params", "metrics", "badges", "links", "timing", "files"}) {
    json value = valid_json();
    value[key] = json::array();
    EXPECT_CONTAINS(record_error(value), "\"" + std::string(key) + "\"");
  }
  for (const char* key : {"branch", "host", "started_at", "output_dir", "qatools_version"}) {
    json value = valid_json();
    value[key] = 1;
    EXPECT_CONTAINS(record_error(value), "\"" + std::string(key) + "\"");
  }
  json value = valid_json();
  value["configs"] = "base";
  EXPECT_CONTAINS(record_error(value), "\"configs\"");
  for (const json& exit_code :
       {json("0"), json(1.5), json(true), json(4294967297ULL), json(-4294967297LL)}) {
    value = valid_json();
    value["exit_code"] = exit_code;
    EXPECT_CONTAINS(record_error(value), "\"exit_code\"");
  }
}

TEST(ParseRecordErrorTest, APeakRssOutOfRangeIsRefusedNotConverted) {
  // 2^64 - 1 (as fuzz_report's huge_numbers.jsonl has it) used to be converted to long: UB.
  for (const json& peak : {json(18446744073709551615ULL), json(1e300), json(-1e19)}) {
    json value = valid_json();
    value["timing"] = {{"wall_s", 1.0}, {"peak_rss_kb", peak}};
    EXPECT_CONTAINS(record_error(value), "\"timing.peak_rss_kb\" is out of range");
  }
  json value = valid_json();
  value["timing"] = {{"peak_rss_kb", 9223372036854775807LL}};
  EXPECT_CONTAINS(record_error(value), "\"timing.peak_rss_kb\" is out of range");  // 2^63 as double
  value["timing"] = {{"peak_rss_kb", 52000}};
  const auto record = record_from_json(value, "test");
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->timing.peak_rss_kb, 52000);
}

TEST(ParseRecordErrorTest, TheCommitMustBeAFullShaNotAPath) {
  for (const char* commit :
       {"../../etc", "main", "0123456", "ABCDEF0123456789ABCDEF0123456789ABCDEF01"}) {
    json value = valid_json();
    value["commit"] = commit;
    const std::string message = record_error(value);
    EXPECT_CONTAINS(message, "invalid commit");
    EXPECT_CONTAINS(message, "\"run.json\"");
  }
  json value = valid_json();
  value["exit_code"] = 2147483647;
  EXPECT_TRUE(parse_record(value.dump(), "run.json"));
}

TEST(ParseRecordErrorTest, BadStatus) {
  json value = valid_json();
  value["status"] = "success";
  const std::string message = record_error(value);
  EXPECT_CONTAINS(message, "\"success\"");
  EXPECT_CONTAINS(message, "\"run.json\"");
}

TEST(ParseRecordErrorTest, BadKey) {
  for (const char* key : {"a/b", "../x/y", "a/b/c d", "a/b/c/d"}) {
    json value = valid_json();
    value["key"] = key;
    EXPECT_CONTAINS(record_error(value), key);
  }
}

TEST(ParseRecordErrorTest, FilePathsThatEscapeAreRejected) {
  for (const char* path :
       {"../x", "/etc/passwd", "a/../../b", "a/./b", "./a", "a//b", "", "a/", ".."}) {
    json value = valid_json();
    value["files"][path] = value["files"]["out.png"];
    const std::string message = record_error(value);
    EXPECT_CONTAINS(message, "\"run.json\"");
    EXPECT_CONTAINS(message, "\"" + std::string(path) + "\"");
  }
}

TEST(ParseRecordErrorTest, BadHashesAndSizesAreRejected) {
  for (const json& entry :
       {json::parse(R"({"xxh128": "abc", "size": 1})"),
        json::parse(R"({"xxh128": "0123456789abcdef0123456789abcdeg",
                                            "size": 1})"),
        json::parse(R"({"xxh128": "0123456789abcdef0123456789abcdef0",
                                            "size": 1})"),
        json::parse(R"({"xxh128": 5, "size": 1})"), json::parse(R"({"size": 1})"),
        json::parse(R"({"xxh128": "0123456789abcdef0123456789abcdef"})"),
        json::parse(R"({"xxh128": "0123456789abcdef0123456789abcdef",
                                            "size": -1})"),
        json::parse(R"({"xxh128": "0123456789abcdef0123456789abcdef",
                                            "size": 1.5})"),
        json::parse(R"({"xxh128": "0123456789abcdef0123456789abcdef",
                                            "size": "1"})"),
        json::parse(R"("0123456789abcdef0123456789abcdef")")}) {
    json value = valid_json();
    value["files"]["out.png"] = entry;
    EXPECT_CONTAINS(record_error(value), "\"run.json\"");
    json log_value = valid_json();
    log_value["log"] = entry;
    EXPECT_CONTAINS(record_error(log_value), "\"run.json\"");
  }
}

TEST(ParseRecordErrorTest, JsonNestedTooDeepIsAnErrorNotACrash) {
  std::string text = valid_json().dump();
  text.insert(text.size() - 1,
              ", \"deep\": " + std::string(100000, '[') + std::string(100000, ']'));
  const auto parsed = parse_record(text, "stdin line 3");
  ASSERT_FALSE(parsed);
  EXPECT_CONTAINS(parsed.error().message, "\"stdin line 3\"");
  EXPECT_CONTAINS(parsed.error().message, "nested deeper than 64 levels");
}

TEST(ParseRecordErrorTest, DepthUpToTheLimitIsReadBeyondItIsAnError) {
  // Params nesting arrays `levels` deep inside the record: the fast reader leaves the deepest
  // records to the checked path, which must still read every record up to the limit.
  const auto with_depth = [](int levels) {
    std::string text = valid_json().dump();
    text.insert(text.size() - 1,
                ", \"badges\": {\"deep\": " + std::string(static_cast<std::size_t>(levels), '[') +
                    std::string(static_cast<std::size_t>(levels), ']') + "}");
    return text;
  };
  for (int depth = util::k_max_json_depth - 3; depth <= util::k_max_json_depth + 1; ++depth) {
    const std::string text = with_depth(depth - 2);  // the record, then badges, then the arrays
    ASSERT_EQ(util::json_depth(text), depth);
    const auto parsed = parse_record(text, "stdin line 1");
    if (depth <= util::k_max_json_depth) {
      ASSERT_TRUE(parsed) << depth << ": " << parsed.error().message;
      EXPECT_EQ(parsed->badges["deep"],
                json::parse(std::string(static_cast<std::size_t>(depth - 2), '[') +
                            std::string(static_cast<std::size_t>(depth - 2), ']')));
    } else {
      ASSERT_FALSE(parsed) << depth;
      EXPECT_CONTAINS(parsed.error().message, "nested deeper than 64 levels");
    }
  }
}

TEST(RunStatusTest, StatusStrings) {
  const std::pair<RunStatus, const char*> statuses[] = {{RunStatus::ok, "ok"},
                                                        {RunStatus::failed, "failed"},
                                                        {RunStatus::timeout, "timeout"},
                                                        {RunStatus::planned, "planned"},
                                                        {RunStatus::cached, "cached"}};
  for (const auto& [status, text] : statuses) {
    EXPECT_EQ(to_string(status), text);
    auto parsed = parse_run_status(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(*parsed, status);
  }
}

TEST(RunStatusTest, UnknownStatusIsAnErrorNamingIt) {
  for (const char* text : {"", "OK", "success", "ok "}) {
    auto parsed = parse_run_status(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_CONTAINS(parsed.error().message, "\"" + std::string(text) + "\"");
  }
}

}  // namespace
}  // namespace qa::core
