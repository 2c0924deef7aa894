// The fast record reader and writer against the reference ones: read_record_fast accepts only
// what record_from_json accepts and reads the same record; append_json_line writes the bytes of
// to_json(record).dump().
#include <qa/core/run_record.hpp>
#include <qa/core/run_record_fast.hpp>
#include <qa/core/run_record_writer.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace qa::core {
namespace {

using nlohmann::json;

// A record as a producer writes it, with every field set.
json full_json() {
  return json::parse(R"({
    "schema": "qa.run/1", "project": "acme/denoise",
    "commit": "0123456789abcdef0123456789abcdef01234567", "branch": "feature/x",
    "label": "nightly", "key": "nightly/base+strength=0.5/images-a.png",
    "input": "images/a.png", "configs": ["base", {"strength": 0.5}],
    "params": {"strength": 0.5, "n": 3, "neg": -2, "nested": {"a": [1, "x", null, true]}},
    "status": "failed", "exit_code": 3,
    "metrics": {"psnr": 31.2, "is_failed": true, "note": "dark", "big": 18446744073709551615},
    "badges": {"model": "v2"}, "links": {"training": "https://example.com/run/1"},
    "timing": {"wall_s": 1.25, "user_s": 1, "sys_s": 0.125, "peak_rss_kb": 52000},
    "files": {"out.png": {"xxh128": "0123456789abcdef0123456789abcdef", "size": 1234},
              "sub/dir/data.bin": {"xxh128": "fedcba9876543210fedcba9876543210", "size": 0}},
    "log": {"path": "/abs/qa-run.log", "xxh128": "00000000000000000000000000000001", "size": 80},
    "output_dir": "/abs/output", "started_at": "2026-11-25T02:30:04Z", "host": "ci-runner-3",
    "qatools_version": "0.1.0"})");
}

// The reference reader's answer for `text`: the record's JSON, or its error message.
std::string reference_answer(const std::string& text) {
  const json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return "error: invalid run record \"r\": not valid JSON";
  }
  auto record = record_from_json(value, "r");
  return record ? to_json(*record).dump() : "error: " + record.error().message;
}

// Every number in `value` with its nlohmann type, so that 3 read as signed is not taken for 3
// read as unsigned.
std::string typed(const json& value) {
  std::string out;
  if (value.is_structured()) {
    for (const auto& [key, item] : value.items()) {
      out += key + "(" + typed(item) + ")";
    }
    return out;
  }
  return std::string(value.type_name()) + (value.is_number_unsigned() ? "u" : "") +
         (value.is_number_integer() ? "i" : "") + ":" + value.dump();
}

// The fast reader agrees with the reference one on `text`: the same record when it reads one,
// and it reads one whenever `must_read` says the text is an ordinary valid record.
void expect_agrees(const std::string& text, bool must_read = false) {
  SCOPED_TRACE(text);
  const std::string reference = reference_answer(text);
  const auto fast = read_record_fast(text);
  if (fast) {
    EXPECT_EQ(to_json(*fast).dump(), reference);
    auto slow = record_from_json(json::parse(text), "r");
    ASSERT_TRUE(slow);
    EXPECT_EQ(typed(to_json(*fast)), typed(to_json(*slow)));
  }
  if (must_read) {
    EXPECT_TRUE(fast.has_value()) << "the fast path refused a valid record: " << reference;
  }
  // parse_record, the public entry, answers as the reference reader whichever path it takes.
  auto parsed = parse_record(text, "r");
  EXPECT_EQ(parsed ? to_json(*parsed).dump() : "error: " + parsed.error().message, reference);
}

TEST(RunRecordFastTest, ReadsAFullRecordAsTheReferenceReaderDoes) {
  expect_agrees(full_json().dump(), true);
  expect_agrees(full_json().dump(2), true);
}

TEST(RunRecordFastTest, ReadsTheRunCacheFieldsAsTheReferenceReaderDoes) {
  json cached = full_json();
  cached["status"] = "cached";
  cached["cache_key"] = "00112233445566778899aabbccddeeff";
  cached["cached_from"] = "fedcba9876543210fedcba9876543210fedcba98";
  expect_agrees(cached.dump(), true);
  const auto record = read_record_fast(cached.dump());
  ASSERT_TRUE(record);
  EXPECT_EQ(record->cache_key, "00112233445566778899aabbccddeeff");
  EXPECT_EQ(record->cached_from, "fedcba9876543210fedcba9876543210fedcba98");
  // Absent from a record that has none, as before the cache.
  EXPECT_FALSE(to_json(*read_record_fast(full_json().dump())).contains("cache_key"));
  cached["cache_key"] = 3;
  expect_agrees(cached.dump());
  EXPECT_FALSE(parse_record(cached.dump(), "r"));
}

TEST(RunRecordFastTest, ReadsAMinimalRecordWithDefaults) {
  const json minimal = {{"schema", "qa.run/1"},
                        {"project", "p"},
                        {"commit", "0123456789abcdef0123456789abcdef01234567"},
                        {"label", "default"},
                        {"key", "default/c/i"},
                        {"input", "i"},
                        {"status", "planned"}};
  expect_agrees(minimal.dump(), true);
  json nulls = minimal;
  for (const char* field :
       {"branch", "exit_code", "params", "metrics", "badges", "links", "timing", "files", "log",
        "output_dir", "started_at", "host", "qatools_version"}) {
    nulls[field] = nullptr;
  }
  expect_agrees(nulls.dump(), true);
}

TEST(RunRecordFastTest, ReadsUnicodeAndEscapesAsTheReferenceReaderDoes) {
  json record = full_json();
  record["input"] = "données/été \"quoted\" \\ tab\t nul\u0001 é😀";
  record["params"]["caf\u00e9"] = "\u2028";
  record["files"]["r\u00e9sum\u00e9 \u00e9.png"] = record["files"]["out.png"];
  expect_agrees(record.dump(), true);
  expect_agrees(record.dump(-1, ' ', /*ensure_ascii=*/true), true);
}

// Each field set to each kind of value, and each field removed: whatever the reference reader
// says (a record or an error), parse_record says the same, and the fast reader never reads a
// record the reference reader refuses.
TEST(RunRecordFastTest, AgreesWithTheReferenceReaderOnEveryFieldOfEveryType) {
  const std::vector<std::string> values = {
      "null",
      "true",
      "0",
      "-0",
      "1",
      "-1",
      "1.5",
      "1e400",
      "2147483647",
      "2147483648",
      "-2147483649",
      "9223372036854775807",
      "9223372036854775808",
      "18446744073709551616",
      "-9223372036854775809",
      "\"\"",
      "\"x\"",
      "\"ok\"",
      "\"qa.run/1\"",
      "[]",
      "[1]",
      "{}",
      R"({"xxh128": "0123456789abcdef0123456789abcdef", "size": 1})",
      R"({"a.txt": {"xxh128": "0123456789abcdef0123456789abcdef", "size": 1}})",
      R"({"../a.txt": {"xxh128": "0123456789abcdef0123456789abcdef", "size": 1}})",
      R"({"a.txt": {"xxh128": "0123456789ABCDEF", "size": 1}})",
      R"({"a.txt": {"xxh128": "0123456789abcdef0123456789abcdef", "size": -1}})",
      R"({"a.txt": {"xxh128": "0123456789abcdef0123456789abcdef", "size": 1.0}})",
      R"({"wall_s": "1", "user_s": null, "sys_s": true, "peak_rss_kb": 1e19})",
      R"({"wall_s": 1, "peak_rss_kb": -9.3e18})"};
  const json base = full_json();
  for (const auto& [field, ignored] : base.items()) {
    json removed = base;
    removed.erase(field);
    expect_agrees(removed.dump());
    for (const auto& value : values) {
      // Spliced as text: the reference parser's view of 1e400 or -0 is part of what is compared.
      json marked = base;
      marked[field] = "@@VALUE@@";
      std::string text = marked.dump();
      text.replace(text.find("\"@@VALUE@@\""), 11, value);
      expect_agrees(text);
    }
  }
}

TEST(RunRecordFastTest, LeavesRepeatedFieldsAndBrokenTextToTheReferenceReader) {
  const std::string text = full_json().dump();
  // nlohmann keeps the last of repeated fields; the fast reader declines and the answer is the
  // same.
  const std::string repeated = text.substr(0, text.size() - 1) + R"(,"host":"other"})";
  EXPECT_FALSE(read_record_fast(repeated));
  expect_agrees(repeated);
  const std::string repeated_file =
      R"({"schema":"qa.run/1","project":"p","commit":)"
      R"("0123456789abcdef0123456789abcdef01234567","label":"d",)"
      R"("key":"d/c/i","input":"i","status":"ok","files":{)"
      R"("a":{"xxh128":"0123456789abcdef0123456789abcdef","size":1},)"
      R"("a":{"xxh128":"fedcba9876543210fedcba9876543210","size":2}}})";
  EXPECT_FALSE(read_record_fast(repeated_file));
  expect_agrees(repeated_file);
  for (const std::string& broken :
       {std::string(""), std::string("{"), text + " x", text.substr(0, text.size() / 2),
        std::string("[") + text + "]", std::string("\"qa.run/1\""),
        std::string("{\"schema\": \"qa.run/1\", \"input\": \"\xff\"}"),
        std::string("{\"schema\": \"qa.run/1\", \"input\": \"a\x01\"}")}) {
    EXPECT_FALSE(read_record_fast(broken)) << broken;
    expect_agrees(broken);
  }
}

std::vector<RunRecord> writer_records() {
  std::vector<RunRecord> records;
  records.push_back(*record_from_json(full_json(), "full"));
  RunRecord bare;
  records.push_back(bare);
  RunRecord odd = records.front();
  odd.branch.reset();
  odd.exit_code = std::numeric_limits<int>::min();
  odd.log.reset();
  odd.input = "données \"q\" \\ \n\t\x01\x7f é😀";
  odd.files["a \"b\".txt"] = FileEntry{util::Hash128{}, std::numeric_limits<std::uint64_t>::max()};
  odd.timing = Timing{0.1, 1e-7, 1e300, -52000};
  odd.metrics["nan"] = std::numeric_limits<double>::quiet_NaN();
  odd.metrics["whole"] = 1000.0;
  odd.params["signed"] = std::int64_t{-3};
  odd.status = RunStatus::cached;
  odd.cache_key = "00112233445566778899aabbccddeeff";
  odd.cached_from = "fedcba9876543210fedcba9876543210fedcba98";
  records.push_back(odd);
  return records;
}

TEST(RunRecordWriterTest, WritesTheBytesOfTheJsonDocument) {
  for (const auto& record : writer_records()) {
    EXPECT_EQ(to_json_line(record), to_json(record).dump());
    std::string out = "before\n";
    append_json_line(record, out);
    EXPECT_EQ(out, "before\n" + to_json(record).dump());
  }
}

TEST(RunRecordWriterTest, RefusesTextThatIsNotUtf8AsTheJsonDocumentDoes) {
  RunRecord record;
  record.input = "bad \xff byte";
  EXPECT_THROW((void)to_json(record).dump(), json::type_error);
  EXPECT_THROW((void)to_json_line(record), json::type_error);
}

TEST(RunRecordWriterTest, WhatItWritesReadsBackToTheSameRecord) {
  for (const auto& record : writer_records()) {
    if (record.project.empty()) {
      continue;  // the empty record is not a valid one to read back
    }
    auto back = parse_record(to_json_line(record), "line");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(to_json_line(*back), to_json_line(record));
  }
}

}  // namespace
}  // namespace qa::core
