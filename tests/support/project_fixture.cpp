#include "support/project_fixture.hpp"

namespace qa::test {

namespace {

std::unique_ptr<store::MemoryBackend> new_memory(store::MemoryBackend*& view) {
  auto backend = std::make_unique<store::MemoryBackend>();
  view = backend.get();
  return backend;
}

}  // namespace

ProjectTest::ProjectTest() : m_repo(m_tmp / "project"), m_store(new_memory(m_memory)) {}

std::string ProjectTest::commit(const std::map<std::string, std::string>& files,
                                const std::string& message) {
  for (const auto& [path, content] : files) {
    write_text(project() / path, content);
  }
  const std::string sha = m_repo.commit_all(message);
  reload();
  return sha;
}

void ProjectTest::reload() {
  runner::Overrides overrides;
  overrides.store = "memory://";
  overrides.config = project() / "qaboard.yaml";
  auto context = runner::load_project_context(project(), overrides);
  ASSERT_TRUE(context) << context.error().message;
  m_context = std::move(*context);
}

}  // namespace qa::test
