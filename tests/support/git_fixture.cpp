#include "support/git_fixture.hpp"

#include "support/process.hpp"

namespace qa::test {

namespace {

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

GitRepo::GitRepo(std::filesystem::path dir, const std::string& branch) : m_dir(std::move(dir)) {
  std::filesystem::create_directories(m_dir);
  git("init -q -b " + branch);
}

std::string GitRepo::git(const std::string& args) const {
  return trim(sh("GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -c user.name=qa-test "
                 "-c user.email=qa-test@example.invalid -c commit.gpgsign=false " +
                     args,
                 m_dir));
}

std::string GitRepo::commit_all(const std::string& message) const {
  git("add -A");
  git("commit -q --allow-empty -m '" + message + "'");
  return head();
}

std::string GitRepo::head() const {
  return git("rev-parse HEAD");
}

}  // namespace qa::test
