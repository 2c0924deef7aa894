#pragma once

#include <fcntl.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <qa/store/store.hpp>
#include <qa/util/hash.hpp>

#include "support/temp_dir.hpp"

namespace qa::test {

// Base of the tests of qa-store's operations: a local store in a temporary folder, records
// written into it as qa-run writes them, and file times set back to make things old.
class LocalStoreTest : public ::testing::Test {
 protected:
  static constexpr const char* k_project = "acme/denoise";

  LocalStoreTest() {
    auto opened = store::Store::open((m_tmp / "store").string());
    EXPECT_TRUE(opened) << opened.error().message;
    m_store = std::make_unique<store::Store>(std::move(*opened));
  }

  // Store the run `key` at `commit` of `project` whose outputs are `files` (name -> content).
  core::RunRecord put(const std::string& commit, const std::string& key,
                      const std::map<std::string, std::string>& files,
                      const std::string& project = k_project) {
    core::RunRecord record;
    record.project = project;
    record.commit = commit;
    record.key = key;
    record.label = key.substr(0, key.find('/'));
    record.input = "a.png";
    record.status = core::RunStatus::ok;
    const auto out = m_tmp / "out" / key;
    for (const auto& [name, content] : files) {
      write_text(out / name, content);
      const auto digest = *util::hash_file(out / name);
      record.files[name] = core::FileEntry{digest.hash, digest.size};
    }
    const auto stored = m_store->put_run(record, out);
    EXPECT_TRUE(stored) << stored.error().message;
    return record;
  }

  [[nodiscard]] std::filesystem::path root() const { return m_tmp / "store"; }
  [[nodiscard]] std::filesystem::path blob_file(const std::string& content) const {
    return root() / store::blob_rel_path(util::hash_bytes(content));
  }
  [[nodiscard]] std::filesystem::path record_file(const std::string& commit,
                                                  const std::string& key) const {
    return root() / store::Store::record_path(k_project, commit, key);
  }

  // Set the modification time of `path` (and of everything under it) to `age` ago.
  static void make_old(const std::filesystem::path& path, std::chrono::seconds age) {
    const auto when = std::chrono::system_clock::now() - age;
    const auto seconds = std::chrono::system_clock::to_time_t(when);
    const struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0) << path;
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        ASSERT_EQ(::utimensat(AT_FDCWD, entry.path().c_str(), times, AT_SYMLINK_NOFOLLOW), 0);
      }
    }
  }

  TempDir m_tmp;
  std::unique_ptr<store::Store> m_store;
};

inline const std::string k_sha_a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
inline const std::string k_sha_b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
inline const std::string k_sha_c = "cccccccccccccccccccccccccccccccccccccccc";

}  // namespace qa::test
