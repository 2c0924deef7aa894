// Builds an HTML report through the library (records made here, blobs in a memory store, real PNG
// and PPM images) and checks it in headless Chromium with tests/browser/report_test.mjs. A missing
// node, Chromium or node_modules is a failure: scripts/bootstrap installs them.
#include <gtest/gtest.h>

#include "browser_node.hpp"

#include <support/process.hpp>
#include <support/temp_dir.hpp>

#include <qa/core/optimization.hpp>
#include <qa/core/visualizations.hpp>
#include <qa/report/html_report.hpp>
#include <qa/report/image_compare.hpp>
#include <qa/store/memory_backend.hpp>
#include <qa/util/atomic_file.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace qa::report {
namespace {

namespace fs = std::filesystem;

const fs::path k_browser_dir = fs::path(QA_SOURCE_DIR) / "tests" / "browser";

// A memory store that the report fetches its blobs from.
class Blobs {
 public:
  explicit Blobs(fs::path scratch) : m_scratch(std::move(scratch)) {}

  core::FileEntry put(const std::string& bytes) {
    const util::Hash128 hash = util::hash_bytes(bytes);
    const fs::path file = m_scratch / hash.hex();
    EXPECT_TRUE(util::write_file_atomic(file, bytes, util::Fsync::no));
    EXPECT_TRUE(m_backend.put_blob(hash, file, bytes.size()));
    return core::FileEntry{hash, bytes.size()};
  }
  BlobFetcher fetcher() {
    return [this](const util::Hash128& hash, const fs::path& destination) {
      return m_backend.get_blob(hash, destination);
    };
  }

 private:
  fs::path m_scratch;
  store::MemoryBackend m_backend;
};

// A 64x48 RGB picture; `patch` brightens a 10x10 block by 60.
std::string picture(bool patch) {
  Image image{64, 48, 3, {}};
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const bool in_patch = patch && x >= 20 && x < 30 && y >= 10 && y < 20;
      image.pixels.push_back(static_cast<std::uint8_t>(x * 3 + (in_patch ? 60 : 0)));
      image.pixels.push_back(static_cast<std::uint8_t>(y * 4));
      image.pixels.push_back(static_cast<std::uint8_t>(128));
    }
  }
  return encode_png(image).value();
}

std::string ppm(std::uint8_t shift) {
  std::string bytes = "P6\n8 4\n255\n";
  for (int i = 0; i < 8 * 4 * 3; ++i) {
    bytes += static_cast<char>(i * 2 + shift);
  }
  return bytes;
}

core::RunRecord record(const std::string& slug, const std::string& input, double psnr,
                       const char* commit) {
  core::RunRecord r;
  r.project = "acme/denoise";
  r.commit = commit;
  r.branch = "main";
  r.key = "default/base/" + slug;
  r.input = input;
  r.configs = nlohmann::json::array({"base", {{"strength", 0.5}}});
  r.params = {{"strength", 0.5}};
  r.status = core::RunStatus::ok;
  r.exit_code = 0;
  r.metrics = {{"psnr", psnr}, {"compute_time", 0.25}};
  r.host = "ci-runner";
  return r;
}

Comparison test_comparison(Blobs& blobs) {
  const char* head = "1111111111111111111111111111111111111111";
  const char* base = "2222222222222222222222222222222222222222";
  std::vector<core::RunRecord> records;
  std::vector<core::RunRecord> references;
  for (int i = 0; i < 260; ++i) {
    char slug[32];
    std::snprintf(slug, sizeof slug, "bulk-%03d", i);
    const double value = 20.0 + (i * 37 % 100) / 10.0;
    records.push_back(record(slug, std::string("images/") + slug + ".png", value, head));
    if (i % 13 != 0) {
      const double delta = i % 10 == 0 ? -0.5 : (i % 3 == 0 ? 0.25 : 0.0);
      references.push_back(
          record(slug, std::string("images/") + slug + ".png", value - delta, base));
    }
  }
  references.push_back(record("gone", "images/gone.png", 30, base));
  records[5].status = core::RunStatus::failed;
  records[5].exit_code = 1;

  auto cat = record("scenes-cat", "scenes/cat.png", 33.5, head);
  auto cat_reference = record("scenes-cat", "scenes/cat.png", 33.0, base);
  cat.files["out.png"] = blobs.put(picture(true));
  cat_reference.files["out.png"] = blobs.put(picture(false));
  cat.files["depth.ppm"] = blobs.put(ppm(1));
  // Wider than k_preview_side: the panes load its preview first, the full file once zoomed in.
  Image wide{2100, 12, 1, std::vector<std::uint8_t>(2100 * 12, 90)};
  cat.files["wide.png"] = blobs.put(encode_png(wide).value());
  cat_reference.files["wide.png"] = cat.files["wide.png"];
  cat_reference.files["depth.ppm"] = blobs.put(ppm(0));
  cat.log = core::LogFile{"/abs/qa-run.log", blobs.put("loading scenes/cat.png\ndenoise: done\n")};
  records.push_back(cat);
  references.push_back(cat_reference);

  auto xss = record("img-src-x-onerror", "<img src=x onerror=alert(1)>.png", 25, head);
  xss.metrics["comment"] = "<script>window.pwned=1</script>";
  xss.links = {{"ci", "https://ci.example.com/job/1"}, {"evil", "javascript:alert(1)"}};
  xss.badges = {{"<b>badge</b>", "<i onmouseover=alert(2)>x</i>"}};
  xss.params = {{"<p>", "<script>window.pwned=2</script>"}};
  xss.files["<img src=x onerror=alert(1)>.png"] = blobs.put(picture(false));
  xss.log = core::LogFile{"/abs/qa-run.log", blobs.put("<script>window.pwned=3</script>\n")};
  records.push_back(xss);

  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.label = "PSNR";
  psnr.short_label = "PSNR";
  psnr.smaller_is_better = false;
  psnr.suffix = " dB";
  psnr.precision = 2;
  psnr.tolerance = 0.01;
  psnr.declared = true;
  defs.add(psnr);
  defs.set_main({"psnr"});
  Comparison comparison = compare(std::move(records), std::move(references), defs, {});
  comparison.reference = {{"requested", "auto"}, {"commit", base}, {"reason", "merge-base <i>"}};
  // The search of tests/golden/report/optimization.json, with a note crafted as markup.
  auto document = nlohmann::json::parse(
      test::read_text(fs::path(QA_SOURCE_DIR) / "tests/golden/report/optimization.json"));
  document["evaluations"][1]["notes"] = {"<script>window.pwned=4</script>"};
  auto optimization = core::optimization_from_json(document, "optimization.json");
  EXPECT_TRUE(optimization) << optimization.error().message;
  if (optimization) {
    comparison.optimization = std::move(*optimization);
  }
  return comparison;
}

TEST(HtmlReportInChromium, SortsFiltersShowsImagesAndRunsNoInjectedScript) {
  const auto node = test::browser_node(k_browser_dir);
  ASSERT_TRUE(node) << node.error().message;

  const test::TempDir dir;
  Blobs blobs(dir / "scratch");
  fs::create_directories(dir / "scratch");
  const Comparison comparison = test_comparison(blobs);
  HtmlOptions options;
  options.html_path = dir / "public" / "report.html";
  options.fetch = blobs.fetcher();
  options.generated_at = "2026-11-25T06:00:00Z";
  // A visualization whose name is markup names out.png: it must stay text; depth.ppm is hidden
  // by default.
  auto visualizations = core::parse_visualizations(
      YAML::Load(R"([{name: "<img src=x onerror=alert(3)>", path: out.png},
                    {name: Depth, path: "*.ppm", default_hidden: true}])"),
      "qaboard.yaml");
  ASSERT_TRUE(visualizations) << visualizations.error().message;
  options.input_side.visualizations = *visualizations;
  const auto written = write_html_report(comparison, options);
  ASSERT_TRUE(written) << written.error().message;

  const auto started = std::chrono::steady_clock::now();
  const auto result = test::run_process(
      {node->string(), (k_browser_dir / "report_test.mjs").string(), options.html_path.string()},
      k_browser_dir, test::clean_environment(dir.path()));
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << result.out << result.err << "browser test: " << seconds << " s\n";
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace qa::report
