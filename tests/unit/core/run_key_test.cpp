#include <qa/core/run_key.hpp>

#include <qa/util/hash.hpp>
#include <qa/util/shell.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace qa::core {
namespace {

using nlohmann::json;

// The keys below are storage keys: a change to any of these literals moves every stored run.
// Change them only together with a store migration.

// Return the first 8 hex digits of what `xxhsum -H2` prints for `text`.
std::string xxhsum_prefix(const std::string& text) {
  const std::string command = "printf '%s' " + util::shell_quote(text) + " | xxhsum -H2";
  return test::sh(command, std::filesystem::current_path()).substr(0, 8);
}

// A 200-character relative path made of `folderNab/` parts.
std::string long_path() {
  std::string path;
  for (int i = 0; i < 20; ++i) {
    path += "folder" + std::to_string(i % 10) + "ab/";
  }
  path.resize(196);
  return path + ".png";
}

TEST(InputSlugTest, PinnedReadableSlugs) {
  EXPECT_EQ(input_slug("images/a.png"), "images-a.png");
  EXPECT_EQ(input_slug("a.png"), "a.png");
  EXPECT_EQ(input_slug("a/b.png"), "a-b.png");
  EXPECT_EQ(input_slug("a_b.png"), "a_b.png");
  EXPECT_EQ(input_slug("x/y/z.tar.gz"), "x-y-z.tar.gz");
  EXPECT_EQ(input_slug("v1+v2=3,@x"), "v1+v2=3,@x");
}

TEST(InputSlugTest, PinnedHashedSlugs) {
  // A `-` in the path: hashed, so that `-` in a readable slug always stands for `/`.
  EXPECT_EQ(input_slug("images/a-1.png"), "c957aa00-images-a-1.png");
  EXPECT_EQ(input_slug("a-b.png"), "d63e193c-a-b.png");
  EXPECT_EQ(input_slug("img-001.png"), "d610e91a-img-001.png");
  // Characters outside `._-+=,@` and letters/digits: hashed, each byte written `_`.
  EXPECT_EQ(input_slug("caf\xc3\xa9.png"), "73954deb-caf__.png");
  EXPECT_EQ(input_slug("a b.png"), "5c9969ca-a_b.png");
}

TEST(InputSlugTest, PinnedLongPathKeepsTheLast40Characters) {
  const std::string path = long_path();
  ASSERT_EQ(path.size(), 200u);
  const std::string slug = input_slug(path);
  EXPECT_EQ(slug, "8b347c17-folder6ab-folder7ab-folder8ab-folder.png");
  EXPECT_EQ(slug.size(), 8u + 1u + 40u);
}

TEST(InputSlugTest, TheLengthLimitIs64Characters) {
  const std::string at_limit = std::string(60, 'x') + ".png";
  EXPECT_EQ(input_slug(at_limit), at_limit);
  const std::string over = std::string(61, 'x') + ".png";
  EXPECT_EQ(input_slug(over), "287f059a-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.png");
}

TEST(InputSlugTest, TheHashIsXxh128OfTheRelativePathAsXxhsumPrintsIt) {
  for (const std::string& path :
       std::vector<std::string>{"images/a-1.png", "caf\xc3\xa9.png", "a b.png", long_path()}) {
    EXPECT_EQ(input_slug(path).substr(0, 9), xxhsum_prefix(path) + "-") << path;
    EXPECT_EQ(input_slug(path).substr(0, 8), util::hash_bytes(path).hex().substr(0, 8)) << path;
  }
}

TEST(InputSlugTest, IsDeterministic) {
  for (const std::string& path :
       std::vector<std::string>{"images/a.png", "caf\xc3\xa9.png", long_path()}) {
    EXPECT_EQ(input_slug(path), input_slug(std::string(path)));
  }
}

TEST(InputSlugTest, LookAlikeInputsGetDifferentSlugs) {
  EXPECT_NE(input_slug("a/b.png"), input_slug("a-b.png"));
  EXPECT_NE(input_slug("a b.png"), input_slug("a_b.png"));
  EXPECT_NE(input_slug("a/b-c.png"), input_slug("a-b/c.png"));
  EXPECT_NE(input_slug("caf\xc3\xa9.png"), input_slug("caf\xc3\xa8.png"));
  const std::string path = long_path();
  std::string other = path;
  other[0] = 'F';  // differs only outside the kept tail
  EXPECT_NE(input_slug(path), input_slug(other));
  EXPECT_EQ(input_slug(path).substr(9), input_slug(other).substr(9));
}

TEST(InputSlugTest, SlugsAreSafeKeyParts) {
  for (const std::string& path :
       std::vector<std::string>{"images/a.png", "a-b.png", "caf\xc3\xa9.png", "a b.png",
                                long_path(), "..", ".", "a/.."}) {
    const std::string slug = input_slug(path);
    EXPECT_TRUE(check_run_key("default/default/" + slug)) << path << " -> " << slug;
  }
}

TEST(MakeSlugTest, ShortSafeTextIsKept) {
  EXPECT_EQ(make_slug("main"), "main");
  EXPECT_EQ(make_slug("release-1.2"), "release-1.2");
}

TEST(MakeSlugTest, PinnedHashedSlug) {
  EXPECT_EQ(make_slug("feature/x"), "4fdde646-feature_x");
  EXPECT_NE(make_slug("feature/x"), make_slug("feature_x"));
  EXPECT_NE(make_slug("."), ".");
  EXPECT_NE(make_slug(".."), "..");
}

TEST(ConfigSlugTest, NoNamesAndNoParamsIsDefault) {
  EXPECT_EQ(config_slug(json::array(), json::object()), "default");
  EXPECT_EQ(config_slug(json(nullptr), json(nullptr)), "default");
  EXPECT_EQ(config_slug(json::parse(R"([{"strength": 0.5}])"), json::object()), "default");
}

TEST(ConfigSlugTest, PinnedNamesAndParams) {
  EXPECT_EQ(config_slug(json::parse(R"(["base"])"), json::object()), "base");
  EXPECT_EQ(config_slug(json::parse(R"(["base", "hdr"])"), json::object()), "base+hdr");
  EXPECT_EQ(config_slug(json::parse(R"(["base", {"strength": 0.5}])"),
                        json::parse(R"({"strength": 0.5})")),
            "base+strength=0.5");
  EXPECT_EQ(config_slug(json::array(), json::parse(R"({"strength": 0.5})")), "strength=0.5");
}

TEST(ConfigSlugTest, PinnedNestedParamsAreDottedInKeyOrder) {
  EXPECT_EQ(config_slug(json::array(), json::parse(R"({"a": {"b": 1}})")), "a.b=1");
  EXPECT_EQ(config_slug(json::parse(R"(["base"])"), json::parse(R"({"level": 6, "a": {"b": 1}})")),
            "base+a.b=1,level=6");
}

TEST(ConfigSlugTest, PinnedHashedConfigSlugs) {
  EXPECT_EQ(config_slug(json::array(),
                        json::parse(R"({"b": 1, "a": "x", "c": true, "d": null, "e": [1, 2]})")),
            "7d6cbafa-a=x,b=1,c=true,d=null,e=_1,2_");
  EXPECT_EQ(config_slug(json::array(), json::parse(R"({"name": "a b"})")), "0e6d00a8-name=a_b");
  EXPECT_EQ(xxhsum_prefix("name=a b"), "0e6d00a8");
}

TEST(ConfigSlugTest, ParamOrderDoesNotMatter) {
  EXPECT_EQ(config_slug(json::array(), json::parse(R"({"b": 1, "a": 2})")),
            config_slug(json::array(), json::parse(R"({"a": 2, "b": 1})")));
}

TEST(ConfigSlugTest, DifferentParamsGiveDifferentSlugs) {
  std::set<std::string> slugs;
  for (const char* params : {R"({"s": 0.5})", R"({"s": 0.25})", R"({"s": 1})", R"({"t": 0.5})",
                             R"({"s": true})", R"({"s": "x"})", R"({})"}) {
    slugs.insert(config_slug(json::parse(R"(["base"])"), json::parse(params)));
  }
  EXPECT_EQ(slugs.size(), 7u);
}

TEST(RunKeyTest, PinnedFullKeys) {
  EXPECT_EQ(run_key("default", json::array(), json::object(), "a.png"), "default/default/a.png");
  EXPECT_EQ(run_key("default", json::parse(R"(["base", {"strength": 0.5}])"),
                    json::parse(R"({"strength": 0.5})"), "images/a.png"),
            "default/base+strength=0.5/images-a.png");
  EXPECT_EQ(run_key("nightly", json::parse(R"(["base"])"),
                    json::parse(R"({"a": {"b": 1}, "level": 6})"), "images/sub/caf\xc3\xa9.png"),
            "nightly/base+a.b=1,level=6/3e62be51-images-sub-caf__.png");
}

TEST(RunKeyTest, KeysAreWellFormedAndDeterministic) {
  const json configs = json::parse(R"(["base", {"strength": 0.5}])");
  const json params = json::parse(R"({"strength": 0.5})");
  const std::string key = run_key("default", configs, params, long_path());
  EXPECT_EQ(key, run_key("default", configs, params, long_path()));
  EXPECT_TRUE(check_run_key(key)) << key;
}

TEST(CheckLabelTest, AcceptsSafeLabels) {
  for (const std::string& label : std::vector<std::string>{"default", "nightly", "v1.2_rc-3", "A",
                                                           "..a", std::string(64, 'l')}) {
    EXPECT_TRUE(check_label(label)) << label;
  }
}

TEST(CheckLabelTest, RejectsUnsafeLabels) {
  for (const std::string& label :
       std::vector<std::string>{"", ".", "..", "a/b", "a b", "a+b", "a=b", "caf\xc3\xa9",
                                std::string(65, 'l'), "a\nb"}) {
    auto checked = check_label(label);
    ASSERT_FALSE(checked) << label;
    EXPECT_NE(checked.error().message.find("invalid label"), std::string::npos);
  }
}

TEST(CheckRunKeyTest, AcceptsWellFormedKeys) {
  for (const std::string key :
       {"default/default/a.png", "default/base+strength=0.5/images-a.png",
        "nightly/7d6cbafa-a=x,b=1,c=true,d=null,e=_1,2_/73954deb-caf__.png", "a/b/c@d"}) {
    EXPECT_TRUE(check_run_key(key)) << key;
  }
}

TEST(CheckRunKeyTest, RejectsMalformedKeys) {
  for (const std::string key :
       {"", "a", "a/b", "a/b/c/d", "/a/b", "a/b/", "a//b", "../b/c", "a/./c", "a/b/..", "a/b c/d",
        "a/b/caf\xc3\xa9", "a/b/c\\d", "a/b/c:d"}) {
    auto checked = check_run_key(key);
    ASSERT_FALSE(checked) << key;
    EXPECT_NE(checked.error().message.find("invalid run key"), std::string::npos);
  }
}

TEST(KeyConfigTest, IsTheMiddlePart) {
  EXPECT_EQ(key_config("default/base+strength=0.5/images-a.png"), "base+strength=0.5");
  EXPECT_EQ(key_config("default/a.png"), "");
  EXPECT_EQ(key_config("nokey"), "");
}

const std::string k_commit = "0123456789abcdef0123456789abcdef01234567";

TEST(CommitKey, AcceptsFullShasWithOptionalDirtySuffix) {
  EXPECT_TRUE(check_commit_key(k_commit));
  EXPECT_TRUE(check_commit_key(k_commit + "-dirty"));
  EXPECT_TRUE(check_commit_key(std::string(64, 'a')));
  EXPECT_FALSE(check_commit_key("0123456"));
  EXPECT_FALSE(check_commit_key(std::string(40, 'G')));
  EXPECT_FALSE(check_commit_key(k_commit + "-clean"));
  EXPECT_FALSE(check_commit_key(""));
}

}  // namespace
}  // namespace qa::core
