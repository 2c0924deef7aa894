#include <qa/report/html_outputs.hpp>

#include <gtest/gtest.h>

#include <support/temp_dir.hpp>

#include <qa/store/memory_backend.hpp>
#include <qa/util/atomic_file.hpp>

namespace qa::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class HtmlOutputs : public ::testing::Test {
 protected:
  HtmlOutputs() {
    fs::create_directories(m_dir / "scratch");
    m_fetch = [this](const util::Hash128& hash, const fs::path& destination) {
      return m_backend.get_blob(hash, destination);
    };
  }

  // Store `bytes` as a blob; return its entry.
  core::FileEntry put(const std::string& bytes) {
    const util::Hash128 hash = util::hash_bytes(bytes);
    const fs::path file = m_dir / "scratch" / hash.hex();
    EXPECT_TRUE(util::write_file_atomic(file, bytes, util::Fsync::no));
    EXPECT_TRUE(m_backend.put_blob(hash, file, bytes.size()));
    return core::FileEntry{hash, bytes.size()};
  }

  json views(OutputViewOptions options = {}) {
    RunComparison run;
    run.record = &m_new;
    run.reference = &m_reference;
    OutputViews collector(m_folder, m_fetch, std::move(options));
    auto made = collector.run_views(run);
    EXPECT_TRUE(made) << made.error().message;
    return made ? *made : json();
  }

  // Return the payload of the data asset at `url`.
  json payload(const json& url) {
    const std::string script = test::read_text(m_dir / "page" / url.get<std::string>());
    const std::string start = "{detail: ";
    const auto begin = script.find(start);
    EXPECT_NE(begin, std::string::npos);
    return json::parse(script.substr(
        begin + start.size(), script.size() - begin - start.size() - std::string("}));\n").size()));
  }

  test::TempDir m_dir;
  store::MemoryBackend m_backend;
  BlobFetcher m_fetch;
  AssetFolder m_folder{m_dir / "page" / "report-assets", "report-assets/"};
  core::RunRecord m_new;
  core::RunRecord m_reference;
};

TEST_F(HtmlOutputs, OneViewPerViewableFileWithBothSidesAsDataAssets) {
  m_new.files["out.txt"] = put("a\nB\n");
  m_reference.files["out.txt"] = put("a\nb\n");
  m_new.files["same.csv"] = put("k,v\n");
  m_reference.files["same.csv"] = m_new.files["same.csv"];
  m_new.files["picture.png"] = put("not really a png");
  m_new.files["data.bin"] = put("\x01\x02");
  m_reference.files["gone.html"] = put("<p>old</p>");
  const json made = views();
  ASSERT_EQ(made.size(), 3U) << made.dump();
  EXPECT_EQ(made[0]["path"], "gone.html");
  EXPECT_EQ(made[0]["kind"], "html");
  EXPECT_EQ(made[0]["change"], "only-reference");
  EXPECT_TRUE(made[0]["new"].is_null());
  EXPECT_EQ(payload(made[0]["reference"])["html"], "<p>old</p>");
  EXPECT_EQ(made[1]["path"], "out.txt");
  EXPECT_EQ(made[1]["kind"], "text");
  EXPECT_EQ(made[1]["change"], "changed");
  EXPECT_EQ(payload(made[1]["new"])["text"], "a\nB\n");
  EXPECT_EQ(payload(made[1]["reference"])["text"], "a\nb\n");
  EXPECT_TRUE(made[1]["note"].is_null());
  EXPECT_EQ(made[2]["change"], "identical");
  EXPECT_EQ(made[2]["new"], made[2]["reference"]);
}

TEST_F(HtmlOutputs, VisualizationsChooseTheViewerByTypeAndNameIt) {
  m_new.files["reports/kpi"] = put(R"({"data": [{"y": [1, 3]}]})");
  m_new.files["trace.dat"] = put("step 1\nstep 2\n");
  m_new.files["debug.bin"] = put("plain words");
  m_new.files["other.bin"] = put("\x01\x02");
  OutputViewOptions options;
  auto parsed = core::parse_visualizations(
      YAML::Load("[{name: KPI, path: 'reports/:report', type: plotly/json},"
                 " {name: Trace, path: trace.dat, type: text/plain}, {path: debug.bin}]"),
      "qaboard.yaml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  options.visualizations = std::move(*parsed);
  const json made = views(std::move(options));
  ASSERT_EQ(made.size(), 3U) << made.dump();  // other.bin: no viewer, no visualization
  EXPECT_EQ(made[0]["path"], "debug.bin");
  EXPECT_EQ(made[0]["kind"], "text");
  EXPECT_TRUE(made[0]["name"].is_null());
  EXPECT_EQ(payload(made[0]["new"])["text"], "plain words");
  EXPECT_EQ(made[1]["path"], "reports/kpi");
  EXPECT_EQ(made[1]["kind"], "plotly");
  EXPECT_EQ(made[1]["name"], "KPI");
  EXPECT_EQ(made[2]["path"], "trace.dat");
  EXPECT_EQ(made[2]["kind"], "text");
  EXPECT_EQ(made[2]["name"], "Trace");
}

TEST_F(HtmlOutputs, PlotlyFiguresBringTheLibraryOnlyWhenThereIsOne) {
  m_new.files["fig.json"] = put(R"({"data": [{"y": [1, 3]}], "layout": {}})");
  m_new.files["metrics.json"] = put(R"({"psnr": 3})");
  const json without = views();
  EXPECT_EQ(without[0]["kind"], "plotly");
  EXPECT_TRUE(without[0]["library"].is_null());
  EXPECT_EQ(without[0]["note"], "plotly.js is not installed: the figure is shown as a table");
  EXPECT_EQ(without[1]["kind"], "json");
  EXPECT_FALSE(without[1].contains("library"));
  EXPECT_FALSE(fs::exists(m_folder.dir / "plotly-strict.min.js"));

  test::write_text(m_dir / "viewers" / "plotly-strict.min.js", "/* plotly */");
  OutputViewOptions options;
  options.viewers_dir = m_dir / "viewers";
  const json with = views(options);
  EXPECT_EQ(with[0]["library"], "report-assets/plotly-strict.min.js");
  EXPECT_TRUE(with[0]["note"].is_null());
  EXPECT_EQ(test::read_text(m_folder.dir / "plotly-strict.min.js"), "/* plotly */");

  m_new.files.erase("fig.json");
  fs::remove(m_folder.dir / "plotly-strict.min.js");
  views(options);
  EXPECT_FALSE(fs::exists(m_folder.dir / "plotly-strict.min.js"));
}

TEST_F(HtmlOutputs, VideosAreCopiedByHash) {
  m_new.files["clip.WebM"] = put("webm bytes");
  const json made = views();
  ASSERT_EQ(made.size(), 1U);
  EXPECT_EQ(made[0]["kind"], "video");
  EXPECT_EQ(made[0]["mime"], "video/webm");
  const std::string name = util::hash_bytes("webm bytes").hex() + ".webm";
  EXPECT_EQ(made[0]["new"], "report-assets/" + name);
  EXPECT_EQ(test::read_text(m_folder.dir / name), "webm bytes");
}

TEST_F(HtmlOutputs, AMissingBlobOrASpentBudgetIsANote) {
  m_new.files["lost.txt"] = core::FileEntry{util::hash_bytes("never stored"), 12};
  const json lost = views();
  EXPECT_TRUE(lost[0]["new"].is_null());
  EXPECT_NE(lost[0]["note"].get<std::string>().find("cannot fetch \"lost.txt\""),
            std::string::npos);

  m_new.files.clear();
  m_new.files["a.txt"] = put(std::string(3000, 'a'));
  m_new.files["b.txt"] = put(std::string(3000, 'b'));
  OutputViewOptions options;
  options.max_report_bytes = 4000;
  const json spent = views(options);
  EXPECT_TRUE(spent[0]["new"].is_string());
  EXPECT_TRUE(spent[1]["new"].is_null());
  EXPECT_EQ(spent[1]["note"],
            "not shown: the report's budget for output files (20000 files, 4000 bytes) is spent");

  OutputViewOptions one_file;
  one_file.max_report_files = 1;
  const json counted = views(one_file);
  EXPECT_TRUE(counted[0]["new"].is_string());
  EXPECT_TRUE(counted[1]["new"].is_null());
  EXPECT_EQ(counted[1]["note"],
            "not shown: the report's budget for output files (1 files, 268435456 bytes) is spent");
}

TEST_F(HtmlOutputs, PreparedViewsAreTheViewsMadeOneAtATimeWithBudgetsInRunOrder) {
  // Three runs, each with a text output; the budget holds two files: the first two runs' (the
  // order of a comparison's runs is by severity).
  std::vector<core::RunRecord> records(3);
  std::vector<RunComparison> runs(3);
  for (std::size_t i = 0; i < 3; ++i) {
    records[i].files["out.txt"] = put("run " + std::to_string(i) + "\n");
    runs[i].record = &records[i];
  }
  OutputViewOptions options;
  options.max_report_files = 2;
  OutputViews prepared(m_folder, m_fetch, options);
  ASSERT_TRUE(prepared.prepare(runs));
  OutputViews one_by_one(m_folder, m_fetch, options);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto made = prepared.run_views(runs[i]);
    const auto expected = one_by_one.run_views(runs[i]);
    ASSERT_TRUE(made && expected);
    EXPECT_EQ(*made, *expected) << i;
    EXPECT_EQ((*made)[0]["new"].is_string(), i < 2) << made->dump();
  }
  EXPECT_EQ(payload((*prepared.run_views(runs[1]))[0]["new"])["text"], "run 1\n");
}

TEST_F(HtmlOutputs, FilesAreReadOnlyUpToTheirCaps) {
  m_new.files["long.log"] = put("line 1\nline 2\nline 3\n");
  m_new.files["big.ply"] = put("ply\nformat ascii 1.0\nelement vertex 0\nend_header\n");
  OutputViewOptions options;
  options.caps.max_bytes = 8;
  options.caps.max_cloud_bytes = 10;
  const json made = views(options);
  ASSERT_EQ(made.size(), 2U);
  EXPECT_EQ(made[0]["path"], "big.ply");
  EXPECT_TRUE(made[0]["new"].is_null());
  EXPECT_EQ(made[0]["note"],
            "\"big.ply\" is too large to show: 49 bytes (the viewer reads at most 10)");
  const json text = payload(made[1]["new"]);
  EXPECT_EQ(text["text"], "line 1\n");
  EXPECT_EQ(text["truncated"], true);
  EXPECT_EQ(text["size"], 21);
}

}  // namespace
}  // namespace qa::report
