#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace qa::test {

// What a check of a store folder found: how many records it read and what is wrong.
struct StoreCheck {
  std::size_t records = 0;
  std::vector<std::string> problems;
};

// Check the store folder `root` (a local store, or the folder an http server serves it from):
// every `run.json` under it parses, and every file and log it names has its blob under
// `root/cas`, of the recorded size and hashing to its name. Leftover temporary files
// (`.tmp.*`) are not records. A missing `root` is an empty store.
StoreCheck check_store(const std::filesystem::path& root);

}  // namespace qa::test
