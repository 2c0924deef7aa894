#pragma once

// What every browser test needs before it drives Chromium: node on PATH, playwright-core in
// tests/browser/node_modules (`npm ci`, done by scripts/bootstrap) and Debian's chromium (or the
// browser QA_CHROMIUM names). A missing one is a failure, never a skip: .ci/run installs them.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include <qa/util/error.hpp>

namespace qa::test {

// Return the path of node, or an error naming what is missing and how to install it.
[[nodiscard]] inline Expected<std::filesystem::path> browser_node(
    const std::filesystem::path& browser_dir) {
  namespace fs = std::filesystem;
  if (!fs::exists(browser_dir / "node_modules" / "playwright-core")) {
    return fail(
        "playwright-core is not installed: run scripts/bootstrap (npm ci in tests/browser)");
  }
  if (!fs::exists("/usr/bin/chromium") && std::getenv("QA_CHROMIUM") == nullptr) {
    return fail("chromium is not installed: run scripts/bootstrap");
  }
  const char* path = std::getenv("PATH");
  std::stringstream folders(path != nullptr ? path : "");
  for (std::string folder; std::getline(folders, folder, ':');) {
    const fs::path candidate = fs::path(folder) / "node";
    if (!folder.empty() && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return fail("node is not installed: run scripts/bootstrap");
}

}  // namespace qa::test
