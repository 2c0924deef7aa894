#include "support/tool_fixture.hpp"

#ifndef QA_TOOLS_DIR
#error "QA_TOOLS_DIR must name the folder of the built tools"
#endif

namespace qa::test {

namespace fs = std::filesystem;

fs::path tool_path(const std::string& tool) {
  return fs::path(QA_TOOLS_DIR) / tool;
}

ToolTest::ToolTest()
    : m_home(m_tmp / "home"), m_project(m_tmp / "my project é"), m_store(m_tmp / "store") {
  fs::create_directories(m_home);
  m_repo = std::make_unique<GitRepo>(m_project);
}

void ToolTest::write_config(const std::string& yaml) const {
  write_text(m_project / "qaboard.yaml", yaml);
}

ProcessResult ToolTest::run_tool(const std::string& tool, const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& env,
                                 const fs::path& cwd) const {
  std::vector<std::string> argv{tool_path(tool).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::map<std::string, std::string> extra{{"QA_STORE", m_store.string()}};
  for (const auto& [name, value] : env) {
    extra[name] = value;
  }
  return run_process(argv, cwd.empty() ? m_project : cwd, clean_environment(m_home, extra));
}

nlohmann::json ToolTest::single_record(const ProcessResult& result) {
  const auto newline = result.out.find('\n');
  EXPECT_NE(newline, std::string::npos) << "no line on stdout; stderr: " << result.err;
  EXPECT_EQ(newline + 1, result.out.size()) << "more than one line: " << result.out;
  auto json = nlohmann::json::parse(result.out, nullptr, false);
  EXPECT_TRUE(json.is_object()) << result.out << "\nstderr: " << result.err;
  return json.is_object() ? json : nlohmann::json::object();
}

std::size_t ToolTest::blob_count() const {
  std::size_t count = 0;
  if (!fs::exists(m_store / "cas")) {
    return 0;
  }
  for (const auto& entry : fs::recursive_directory_iterator(m_store / "cas")) {
    if (entry.is_regular_file()) {
      ++count;
    }
  }
  return count;
}

}  // namespace qa::test
