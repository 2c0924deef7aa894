#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <qa/runner/context.hpp>
#include <qa/store/memory_backend.hpp>
#include <qa/store/store.hpp>

#include "support/git_fixture.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

namespace qa::test {

// Base of the in-process runner tests: a project (qaboard.yaml and other files) committed in a
// real git repository, its context loaded as the tools load it (none of the caller's QA or CI
// variables), and a store in memory.
class ProjectTest : public ::testing::Test {
 protected:
  ProjectTest();

  // Write `files` (path relative to the project -> content), commit them all with `message` and
  // reload the context; return the new commit's sha.
  std::string commit(const std::map<std::string, std::string>& files,
                     const std::string& message = "change");

  // Load the context of the project again (after a commit or a change of qaboard.yaml).
  void reload();

  [[nodiscard]] std::filesystem::path project() const { return m_tmp / "project"; }

  ScopedCleanEnvironment m_clean;
  TempDir m_tmp;
  GitRepo m_repo;
  runner::ProjectContext m_context;
  store::MemoryBackend* m_memory = nullptr;  // owned by m_store
  store::Store m_store;
};

}  // namespace qa::test
