#include <qa/report/html_report.hpp>

#include <gtest/gtest.h>

#include <support/temp_dir.hpp>

#include <qa/core/visualizations.hpp>
#include <qa/report/image_compare.hpp>
#include <qa/report/report_json.hpp>
#include <qa/util/atomic_file.hpp>

#include <cmath>
#include <map>

namespace qa::report {
namespace {

namespace fs = std::filesystem;

const std::string k_script_payload = "</script><script>window.pwned=1</script>";
const std::string k_img_payload = "<img src=x onerror=alert(1)>.png";

// Blobs by hash, served to the report as a store would.
struct Blobs {
  std::map<util::Hash128, std::string> bytes;

  core::FileEntry add(const std::string& content) {
    const util::Hash128 hash = util::hash_bytes(content);
    bytes[hash] = content;
    return core::FileEntry{hash, content.size()};
  }
  BlobFetcher fetcher() {
    return [this](const util::Hash128& hash, const fs::path& destination) -> Expected<void> {
      const auto it = bytes.find(hash);
      if (it == bytes.end()) {
        return fail("blob {} not found", hash.hex());
      }
      return util::write_file_atomic(destination, it->second, util::Fsync::no);
    };
  }
};

std::string png_of(int width, int height, std::uint8_t value, int changed_pixel = -1) {
  Image image{width, height, 1,
              std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), value)};
  if (changed_pixel >= 0) {
    image.pixels[static_cast<std::size_t>(changed_pixel)] = static_cast<std::uint8_t>(value + 10);
  }
  return encode_png(image).value();
}

core::RunRecord record(const std::string& input, const nlohmann::json& metrics) {
  core::RunRecord r;
  r.project = "acme/<b>denoise</b>";
  r.commit = "0123456789abcdef0123456789abcdef01234567";
  r.key = "default/base/" + input;
  r.input = input;
  r.status = core::RunStatus::ok;
  r.exit_code = 0;
  r.metrics = metrics;
  return r;
}

Comparison comparison_of(std::vector<core::RunRecord> records,
                         std::vector<core::RunRecord> references) {
  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.smaller_is_better = false;
  psnr.declared = true;
  defs.add(psnr);
  defs.set_main({"psnr"});
  Comparison comparison = compare(std::move(records), std::move(references), defs, {});
  comparison.project = "acme/<b>denoise</b>";
  comparison.commit = "0123456789abcdef0123456789abcdef01234567";
  return comparison;
}

// Return the JSON embedded in the page `html`.
nlohmann::json embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"qa-data\">";
  const auto begin = html.find(open);
  EXPECT_NE(begin, std::string::npos);
  const auto end = html.find("</script>", begin);
  return nlohmann::json::parse(html.substr(begin + open.size(), end - begin - open.size()));
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(HtmlJsonForScript, EscapesWhatCouldEndTheElement) {
  const nlohmann::json json{{"a", "</script>&\u2028\u2029"}, {"b", std::string("\xff", 1)}};
  const std::string text = json_for_script(json);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  EXPECT_NE(text.find("\\u003c/script\\u003e\\u0026\\u2028\\u2029"), std::string::npos) << text;
  const auto back = nlohmann::json::parse(text);
  EXPECT_EQ(back["a"], "</script>&\u2028\u2029");
  EXPECT_EQ(back["b"], "\xEF\xBF\xBD");
}

TEST(WriteHtmlReport, DataNeverBecomesMarkup) {
  const test::TempDir dir;
  auto run = record(k_img_payload, {{"psnr", 30.0}, {"note", k_script_payload}});
  run.links = {{"evil", "javascript:alert(1)"}};
  Comparison comparison = comparison_of({run}, {});
  HtmlOptions options;
  options.html_path = dir / "report.html";
  options.generated_at = "2026-11-25T06:00:00Z<x>";
  ASSERT_TRUE(write_html_report(comparison, options));

  const std::string html = test::read_text(dir / "report.html");
  EXPECT_EQ(count(html, "<script"), 2U);  // the data and the code
  EXPECT_EQ(count(html, "</script"), 2U);
  EXPECT_EQ(count(html, "window.pwned"), 1U);
  EXPECT_NE(html.find("\\u003cscript\\u003ewindow.pwned=1\\u003c/script\\u003e"),
            std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("acme/&lt;b&gt;denoise&lt;/b&gt;"), std::string::npos);
  for (const char* sink :
       {".innerHTML", ".outerHTML", "insertAdjacentHTML(", "eval(", "document.write"}) {
    EXPECT_EQ(html.find(sink), std::string::npos) << sink;
  }

  const auto data = embedded_data(html);
  EXPECT_EQ(data["report"]["schema"], "qa.report/1");
  EXPECT_EQ(data["report"]["generated_at"], "2026-11-25T06:00:00Z<x>");
  ASSERT_EQ(data["report"]["runs"].size(), 1U);
  EXPECT_EQ(data["report"]["runs"][0]["input"], k_img_payload);
  EXPECT_EQ(data["report"]["runs"][0]["metrics"]["note"]["value"], k_script_payload);
  EXPECT_EQ(data["extras"], nlohmann::json::array());
  EXPECT_FALSE(fs::exists(dir / "report-assets")) << "no fetcher: no assets";
}

TEST(WriteHtmlReport, FetchesImagesComparesThemAndTailsTheLog) {
  const test::TempDir dir;
  Blobs blobs;
  auto run = record("a", {{"psnr", 31.0}});
  auto reference = record("a", {{"psnr", 30.0}});
  reference.commit = std::string(40, 'b');
  run.files["out.png"] = blobs.add(png_of(4, 3, 100, 5));
  reference.files["out.png"] = blobs.add(png_of(4, 3, 100));
  const std::string pgm = std::string("P5\n2 1\n255\n") + std::string("\x01\x02", 2);
  run.files["raw/Depth.PGM"] = blobs.add(pgm);
  reference.files["raw/Depth.PGM"] = run.files["raw/Depth.PGM"];
  run.files["small.png"] = blobs.add(png_of(2, 2, 1));
  reference.files["small.png"] = blobs.add(png_of(3, 2, 1));
  run.files["lost.jpg"] = core::FileEntry{util::hash_bytes("never stored"), 12};
  run.files["notes.txt"] = blobs.add("text");
  std::string log;
  for (int i = 1; i <= 100; ++i) {
    log += "line " + std::to_string(i) + "\n";
  }
  run.log = core::LogFile{"/abs/qa-run.log", blobs.add(log)};

  Comparison comparison = comparison_of({run}, {reference});
  HtmlOptions options;
  options.html_path = dir / "out" / "report.html";
  options.fetch = blobs.fetcher();
  ASSERT_TRUE(write_html_report(comparison, options));

  const fs::path assets = dir / "out" / "report-assets";
  const std::string new_hex = run.files["out.png"].hash.hex();
  const std::string ref_hex = reference.files["out.png"].hash.hex();
  EXPECT_TRUE(fs::exists(assets / (new_hex + ".png")));
  EXPECT_TRUE(fs::exists(assets / (ref_hex + ".png")));
  EXPECT_TRUE(fs::exists(assets / (new_hex + "-" + ref_hex + "-diffmap.png")));
  EXPECT_TRUE(fs::exists(assets / (new_hex + "-thumb.png")))
      << "the changed image is the thumbnail";
  const std::string pgm_hex = run.files["raw/Depth.PGM"].hash.hex();
  auto converted = load_image(assets / (pgm_hex + ".png"));
  ASSERT_TRUE(converted) << converted.error().message;
  EXPECT_EQ(converted->pixels, (std::vector<std::uint8_t>{1, 2}));
  for (const auto& entry : fs::directory_iterator(assets)) {
    // Images, and the data asset of notes.txt's text viewer (html_outputs.hpp).
    EXPECT_TRUE(entry.path().extension() == ".png" || entry.path().extension() == ".js")
        << "no temporary file left: " << entry.path();
  }

  const auto data = embedded_data(test::read_text(options.html_path));
  const auto& images = data["extras"][0]["images"];
  ASSERT_EQ(images.size(), 4U) << images.dump();
  EXPECT_EQ(images[0]["path"], "lost.jpg");
  EXPECT_EQ(images[0]["new"], nullptr);
  EXPECT_NE(images[0]["note"].get<std::string>().find("cannot fetch \"lost.jpg\""),
            std::string::npos);
  EXPECT_EQ(images[1]["path"], "out.png");
  EXPECT_EQ(images[1]["new"], "report-assets/" + new_hex + ".png");
  EXPECT_EQ(images[1]["reference"], "report-assets/" + ref_hex + ".png");
  EXPECT_EQ(images[1]["diff"], "report-assets/" + new_hex + "-" + ref_hex + "-diffmap.png");
  EXPECT_EQ(images[1]["diff_max"], 10);
  EXPECT_EQ(images[1]["colormap"], "viridis");
  EXPECT_EQ(images[1]["diff_preview"], nullptr) << "small: no preview";
  EXPECT_EQ(images[1]["new_preview"], nullptr);
  EXPECT_EQ(images[1]["width"], 4);
  EXPECT_EQ(images[1]["reference_height"], 3);
  EXPECT_EQ(data["extras"][0]["thumbnail"], "report-assets/" + new_hex + "-thumb.png");
  auto diff_map = load_image(assets / (new_hex + "-" + ref_hex + "-diffmap.png"));
  ASSERT_TRUE(diff_map) << diff_map.error().message;
  EXPECT_EQ(diff_map->channels, 3);
  EXPECT_EQ(diff_map->pixels[0], 0) << "identical pixels are black";
  EXPECT_EQ(diff_map->pixels[5 * 3], 253) << "the largest difference is viridis' yellow";
  EXPECT_EQ(images[1]["stats"]["max_abs_diff"], 10);
  EXPECT_EQ(images[1]["stats"]["changed_pixels"], 1);
  EXPECT_NEAR(images[1]["stats"]["psnr"].get<double>(),
              10.0 * std::log10(255.0 * 255.0 * 12.0 / 100.0), 1e-9);
  EXPECT_EQ(images[2]["path"], "raw/Depth.PGM");
  EXPECT_EQ(images[2]["change"], "identical");
  EXPECT_EQ(images[2]["new"], images[2]["reference"]);
  EXPECT_EQ(images[2]["stats"]["psnr"], nullptr);
  EXPECT_EQ(images[3]["path"], "small.png");
  EXPECT_EQ(images[3]["note"], "sizes differ");
  EXPECT_EQ(images[3]["stats"], nullptr);

  const std::string tail = data["extras"][0]["log_tail"];
  EXPECT_EQ(tail.substr(0, 8), "line 61\n");
  EXPECT_EQ(tail.substr(tail.size() - 8), "line 100");

  // notes.txt has a text viewer: its data asset is in the assets folder.
  const auto& views = data["extras"][0]["views"];
  ASSERT_EQ(views.size(), 1U) << views.dump();
  EXPECT_EQ(views[0]["path"], "notes.txt");
  EXPECT_EQ(views[0]["kind"], "text");
  EXPECT_TRUE(fs::exists(options.html_path.parent_path() / views[0]["new"].get<std::string>()));
}

TEST(WriteHtmlReport, LargeImagesGetACappedPreview) {
  const test::TempDir dir;
  Blobs blobs;
  // About 24 megapixels: the page loads a preview whose longest side is k_preview_side.
  Image big{6000, 4000, 1, {}};
  big.pixels.resize(big.pixel_count());
  for (std::size_t i = 0; i < big.pixels.size(); ++i) {
    big.pixels[i] = static_cast<std::uint8_t>((i % 6000) / 24);
  }
  auto run = record("big", {});
  run.files["big.png"] = blobs.add(encode_png(big).value());
  HtmlOptions options;
  options.html_path = dir / "report.html";
  options.fetch = blobs.fetcher();
  ASSERT_TRUE(write_html_report(comparison_of({run}, {}), options));
  const auto data = embedded_data(test::read_text(options.html_path));
  const auto& image = data["extras"][0]["images"][0];
  const std::string hex = run.files["big.png"].hash.hex();
  EXPECT_EQ(image["new"], "report-assets/" + hex + ".png");
  EXPECT_EQ(image["new_preview"], "report-assets/" + hex + "-preview.png");
  EXPECT_EQ(image["width"], 6000);
  EXPECT_EQ(image["height"], 4000);
  auto preview = load_image(dir / "report-assets" / (hex + "-preview.png"));
  ASSERT_TRUE(preview) << preview.error().message;
  EXPECT_EQ(preview->width, 2048);
  EXPECT_EQ(preview->height, 1365);
  auto thumbnail = load_image(dir / "report-assets" / (hex + "-thumb.png"));
  ASSERT_TRUE(thumbnail) << thumbnail.error().message;
  EXPECT_EQ(thumbnail->width, 96);
  EXPECT_EQ(thumbnail->height, 64);
}

TEST(WriteHtmlReport, VisualizationsOrderNameHideAndCopyTheInputSide) {
  const test::TempDir dir;
  Blobs blobs;
  const fs::path root = dir / "project";
  fs::create_directories(root / "data" / "images");
  fs::create_directories(root / "data" / "clean");
  ASSERT_TRUE(util::write_file_atomic(root / "data" / "images" / "a.png", png_of(4, 3, 90),
                                      util::Fsync::no));
  ASSERT_TRUE(util::write_file_atomic(root / "data" / "clean" / "a.png", png_of(4, 3, 100),
                                      util::Fsync::no));
  ASSERT_TRUE(util::write_file_atomic(dir / "secret.txt", "secret", util::Fsync::no));
  auto run = record("a.png", {});
  run.files["z-denoised.png"] = blobs.add(png_of(4, 3, 100, 1));
  run.files["debug.png"] = blobs.add(png_of(4, 3, 7));
  run.files["other.png"] = blobs.add(png_of(4, 3, 8));
  const std::string yaml = R"yaml(
- {name: Denoised, path: "(.*denoised\\.png)"}
- {name: Debug, path: "debug.png", default_hidden: true}
- {name: Input, path: "{input_path}"}
- {name: Ground truth, path: "{project_root}/data/clean/{rel_input_path}"}
- {name: Escape, path: "{project_root}/../secret.txt"}
- {name: Missing, path: "{database}/nothing.png"}
)yaml";
  auto visualizations = core::parse_visualizations(YAML::Load(yaml), "qaboard.yaml");
  ASSERT_TRUE(visualizations) << visualizations.error().message;
  HtmlOptions options;
  options.html_path = dir / "report.html";
  options.fetch = blobs.fetcher();
  options.input_side = {*visualizations, root, root / "data" / "images"};
  ASSERT_TRUE(write_html_report(comparison_of({run}, {}), options));
  const auto data = embedded_data(test::read_text(options.html_path));
  const auto& extras = data["extras"][0];
  const auto& images = extras["images"];
  ASSERT_EQ(images.size(), 3U);
  EXPECT_EQ(images[0]["path"], "z-denoised.png") << "visualizations come first, in their order";
  EXPECT_EQ(images[0]["name"], "Denoised");
  EXPECT_EQ(images[0]["hidden"], false);
  EXPECT_EQ(images[1]["path"], "debug.png");
  EXPECT_EQ(images[1]["hidden"], true);
  EXPECT_EQ(images[2]["path"], "other.png");
  EXPECT_FALSE(images[2].contains("name"));
  EXPECT_EQ(extras["thumbnail"],
            "report-assets/" + run.files["z-denoised.png"].hash.hex() + "-thumb.png");

  const auto& inputs = extras["inputs"];
  ASSERT_EQ(inputs.size(), 4U) << inputs.dump();
  EXPECT_EQ(inputs[0]["name"], "Input");
  EXPECT_EQ(inputs[0]["role"], "input");
  EXPECT_EQ(inputs[0]["path"], "data/images/a.png");
  EXPECT_EQ(inputs[0]["image"], true);
  EXPECT_EQ(inputs[0]["width"], 4);
  const std::string input_url = inputs[0]["url"];
  EXPECT_TRUE(fs::exists(dir / input_url)) << input_url;
  EXPECT_EQ(inputs[1]["name"], "Ground truth");
  EXPECT_EQ(inputs[1]["role"], "file");
  EXPECT_EQ(inputs[1]["path"], "data/clean/a.png");
  EXPECT_NE(inputs[1]["url"], inputs[0]["url"]);
  EXPECT_EQ(inputs[2]["url"], nullptr) << "a path leaving the project is not copied";
  EXPECT_NE(inputs[2]["note"].get<std::string>().find("leaves the project"), std::string::npos);
  EXPECT_EQ(inputs[3]["url"], nullptr);
  EXPECT_NE(inputs[3]["note"].get<std::string>().find("not a readable file"), std::string::npos);
  for (const auto& entry : fs::directory_iterator(dir / "report-assets")) {
    EXPECT_NE(test::read_text(entry.path()), "secret");
  }
}

TEST(WriteHtmlReport, AssetsFolderIsLinkedRelativeAndEncoded) {
  const test::TempDir dir;
  Blobs blobs;
  auto run = record("a", {});
  run.files["a.png"] = blobs.add(png_of(1, 1, 5));
  HtmlOptions options;
  options.html_path = dir / "site" / "index.html";
  options.assets_dir = dir / "shared folder" / "img#1";
  options.fetch = blobs.fetcher();
  ASSERT_TRUE(write_html_report(comparison_of({run}, {}), options));
  const auto data = embedded_data(test::read_text(options.html_path));
  EXPECT_EQ(data["extras"][0]["images"][0]["new"],
            "../shared%20folder/img%231/" + run.files["a.png"].hash.hex() + ".png");
  EXPECT_TRUE(fs::exists(options.assets_dir / (run.files["a.png"].hash.hex() + ".png")));
}

TEST(WriteHtmlReport, UnwritablePageIsAnError) {
  const test::TempDir dir;
  test::write_text(dir / "file", "x");
  HtmlOptions options;
  options.html_path = dir / "file" / "report.html";
  const auto written = write_html_report(comparison_of({record("a", {})}, {}), options);
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("file"), std::string::npos) << written.error().message;
}

// qa-report --json FILE --html PAGE writes the file from the text the page embeds: the page is
// the same, byte for byte, and so is the file, including text that the page must escape and
// runs enough for several pieces.
TEST(WriteHtmlReport, WritesTheJsonReportFromTheSamePass) {
  const test::TempDir dir;
  std::vector<core::RunRecord> runs;
  for (int i = 0; i < 9000; ++i) {
    auto run = record(fmt::format("in{}-{}", i, k_script_payload),
                      {{"psnr", 30.0 + i}, {"note", "\u2028 & </script> é"}});
    runs.push_back(std::move(run));
  }
  const Comparison comparison = comparison_of(runs, {});
  const std::string generated_at = "2026-11-25T06:00:00Z";
  ASSERT_TRUE(util::write_file_atomic_streamed(
      dir / "report.json",
      [&](const auto& sink) { write_report_json(comparison, generated_at, sink); },
      util::Fsync::no));
  ASSERT_GT(fs::file_size(dir / "report.json"), std::uintmax_t{1} << 20);

  HtmlOptions alone;
  alone.html_path = dir / "alone.html";
  alone.generated_at = generated_at;
  ASSERT_TRUE(write_html_report(comparison, alone));
  HtmlOptions both = alone;
  both.html_path = dir / "both.html";
  both.json_path = dir / "sub" / "both.json";
  ASSERT_TRUE(write_html_report(comparison, both));
  EXPECT_EQ(test::read_text(dir / "both.html"), test::read_text(dir / "alone.html"));
  EXPECT_EQ(test::read_text(dir / "sub" / "both.json"), test::read_text(dir / "report.json"));
  const std::string page = test::read_text(dir / "both.html");
  EXPECT_NE(page.find("\\u2028"), std::string::npos);

  // A JSON file that cannot be written fails the call and leaves no page half made.
  test::write_text(dir / "blocked", "a file where a folder should be");
  HtmlOptions blocked = alone;
  blocked.html_path = dir / "blocked.html";
  blocked.json_path = dir / "blocked" / "report.json";
  const auto failed = write_html_report(comparison, blocked);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("blocked"), std::string::npos) << failed.error().message;
  EXPECT_FALSE(fs::exists(dir / "blocked.html"));
}

}  // namespace
}  // namespace qa::report
