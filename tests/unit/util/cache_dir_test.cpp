#include <qa/util/cache_dir.hpp>

#include <gtest/gtest.h>

#include <qa/util/env.hpp>
#include <qa/util/hash_cache.hpp>

#include "support/scoped_env.hpp"

namespace qa::util {
namespace {

namespace fs = std::filesystem;
using qa::test::ScopedEnv;

TEST(CacheDirTest, XdgThenHome) {
  const ScopedEnv xdg("XDG_CACHE_HOME", "/xdg");
  const ScopedEnv home("HOME", "/home/u");
  EXPECT_EQ(user_cache_home(), fs::path("/xdg"));
  const ScopedEnv empty_xdg("XDG_CACHE_HOME", "");
  EXPECT_EQ(user_cache_home(), fs::path("/home/u/.cache")) << "an empty variable is unset";
}

TEST(CacheDirTest, QaCacheDirHoldsEveryCacheElseThePrefixedFolder) {
  const ScopedEnv home("HOME", "/home/u");
  const ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
  {
    const ScopedEnv qa("QA_CACHE_DIR", "/ci/cache");
    EXPECT_EQ(qa_cache_folder("blobs"), fs::path("/ci/cache/blobs"));
    EXPECT_EQ(HashCache::default_location(), fs::path("/ci/cache/hash-cache"));
  }
  const ScopedEnv qa("QA_CACHE_DIR", std::nullopt);
  EXPECT_EQ(qa_cache_folder("blobs"), fs::path("/home/u/.cache/qatools-blobs"));
  EXPECT_EQ(HashCache::default_location(), fs::path("/home/u/.cache/qatools-hash-cache"));
}

TEST(CacheDirTest, WithoutHomeThereIsNoCacheFolderAtAll) {
  const ScopedEnv home("HOME", std::nullopt);
  const ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
  const ScopedEnv qa("QA_CACHE_DIR", std::nullopt);
  EXPECT_FALSE(user_cache_home());
  EXPECT_FALSE(qa_cache_folder("blobs"));
  EXPECT_FALSE(HashCache::default_location()) << "no cache rather than one in /tmp";
}

TEST(EnvValueTest, EmptyCountsAsUnsetUnlessAsked) {
  const ScopedEnv set("QA_ENV_TEST", "");
  EXPECT_FALSE(env_value("QA_ENV_TEST"));
  EXPECT_EQ(env_value("QA_ENV_TEST", EmptyIs::value), "");
  const ScopedEnv unset("QA_ENV_TEST_UNSET", std::nullopt);
  EXPECT_FALSE(env_value("QA_ENV_TEST_UNSET", EmptyIs::value));
}

}  // namespace
}  // namespace qa::util
