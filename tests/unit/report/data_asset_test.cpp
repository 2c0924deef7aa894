#include <qa/report/data_asset.hpp>

#include <gtest/gtest.h>

#include <support/temp_dir.hpp>

#include <qa/util/hash.hpp>

namespace qa::report {
namespace {

TEST(DataAsset, ScriptHandsThePayloadToItsElement) {
  EXPECT_EQ(data_asset_script({{"a", 1}}),
            "document.currentScript.dispatchEvent(new CustomEvent('qa-data', {detail: "
            "{\"a\":1}}));\n");
}

TEST(DataAsset, StringsCannotEndTheScriptOrStartMarkup) {
  const std::string script =
      data_asset_script({{"text", "</script><img src=x onerror=alert(1)>&\xE2\x80\xA8\xE2\x80\xA9"},
                         {"<key>", "javascript:alert(1)"}});
  EXPECT_EQ(script.find('<'), std::string::npos);
  EXPECT_EQ(script.find('>', script.find("{detail")), std::string::npos);
  EXPECT_EQ(script.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(script.find("\xE2\x80\xA9"), std::string::npos);
  EXPECT_NE(script.find("\\u003c/script\\u003e\\u003cimg"), std::string::npos);
  EXPECT_NE(script.find("\\u2028\\u2029"), std::string::npos);
  // Invalid UTF-8 is replaced, not passed on.
  EXPECT_NE(data_asset_script({{"t", "a\xFF"}}).find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(DataAsset, NamedByTheHashOfItsTextAndWrittenOnce) {
  const test::TempDir dir;
  const AssetFolder folder{dir / "report-assets", "report-assets/"};
  const nlohmann::json payload{{"text", "hello"}};
  const auto asset = write_data_asset(folder, payload);
  ASSERT_TRUE(asset) << asset.error().message;
  const std::string script = data_asset_script(payload);
  const std::string name = util::hash_bytes(script).hex() + ".js";
  EXPECT_EQ(asset->url, "report-assets/" + name);
  EXPECT_EQ(asset->bytes, script.size());
  EXPECT_EQ(test::read_text(dir / "report-assets" / name), script);
  const auto again = write_data_asset(folder, payload);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->url, asset->url);
  EXPECT_NE(write_data_asset(folder, {{"text", "other"}})->url, asset->url);
}

}  // namespace
}  // namespace qa::report
