// The hostile corpus (tests/hostile/README.md): bad or odd inputs, each with the exit code and
// the message it must give, run against the built tools. Beyond its own expectations, every
// case must end without a signal, a sanitizer report, an uncaught exception or a leaked secret.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <regex>
#include <sstream>

#include "hostile/hostile_case.hpp"
#include "support/http_servers.hpp"
#include "support/tool_fixture.hpp"

#ifndef QA_SOURCE_DIR
#error "QA_SOURCE_DIR must name the source tree"
#endif

namespace qa::test {
namespace {

namespace fs = std::filesystem;

const fs::path k_cases_dir = fs::path(QA_SOURCE_DIR) / "tests" / "hostile" / "cases";
constexpr const char* k_timeout_seconds = "60";

const HostileCorpus& corpus() {
  static const HostileCorpus loaded = load_hostile_corpus(k_cases_dir);
  return loaded;
}

// The base project of every case: two inputs, a command that copies its input and writes a
// metrics.json, a batch `smoke` over both inputs.
const std::vector<std::pair<std::string, std::string>> k_base_files{
    {"qaboard.yaml", R"(project: {name: acme/hostile}
inputs:
  database: data
  globs: ['*.txt']
  batches: batches.yaml
run:
  command: sh run.sh {input_path} {output_dir}
)"},
    {"run.sh", R"sh(# copy the input, measure it
cp "$1" "$2/out.txt"
printf '{"size": %s}\n' "$(wc -c < "$1" | tr -d ' ')" > "$2/metrics.json"
)sh"},
    {"batches.yaml", "smoke:\n  inputs: [a.txt, b.txt]\n"},
    {"data/a.txt", "alpha\n"},
    {"data/b.txt", "bravo\n"},
    {".gitignore", "output/\n"},
};

// What no case may ever print on stderr, whatever it tests.
const std::vector<std::string> k_never_on_stderr{
    "AddressSanitizer", "runtime error:", "LeakSanitizer", "terminate called",
    "internal error",   "std::bad_alloc", "type_error",    "what():"};

std::string excerpt(const std::string& text) {
  constexpr std::size_t k_max = 6000;
  return text.size() <= k_max ? text
                              : text.substr(0, k_max) + "\n[... " +
                                    std::to_string(text.size() - k_max) + " more bytes]";
}

// Return whether `pattern` matches somewhere in one line of `text` (lines are matched one by
// one: std::regex recurses per character and long texts would exhaust the stack).
bool matches_a_line(const std::string& text, const std::string& pattern) {
  const std::regex regex(pattern, std::regex::ECMAScript);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > 20000) {
      line.resize(20000);
    }
    if (std::regex_search(line, regex)) {
      return true;
    }
  }
  return text.empty() && std::regex_search(text, regex);
}

std::string case_name(const ::testing::TestParamInfo<HostileCase>& info) { return info.param.name; }

class Hostile : public ToolTest, public ::testing::WithParamInterface<HostileCase> {
 protected:
  // Replace {store}, {project}, {tmp}, {home} and {head} in `text`.
  [[nodiscard]] std::string expand(std::string text) const {
    const std::vector<std::pair<std::string, std::string>> values{{"{store}", m_store_url},
                                                                  {"{project}", m_project.string()},
                                                                  {"{tmp}", m_tmp.path().string()},
                                                                  {"{home}", m_home.string()},
                                                                  {"{head}", m_head}};
    for (const auto& [placeholder, value] : values) {
      for (auto at = text.find(placeholder); at != std::string::npos;
           at = text.find(placeholder, at + value.size())) {
        text.replace(at, placeholder.size(), value);
      }
    }
    return text;
  }

  void start_server(const HostileCase& c) {
    m_store_url = m_store.string();
    if (c.server_mode == "nginx") {
      m_nginx = std::make_unique<NginxServer>(m_tmp / "server");
      m_store_url = m_nginx->url();
    } else if (!c.server_mode.empty()) {
      m_fault = std::make_unique<FaultServer>(m_tmp / "server", c.server_mode, c.server_match);
      m_store_url = m_fault->url();
    }
  }

  // Write the base project and the case's files, run its setup, commit as it asks.
  void make_project(const HostileCase& c) {
    for (const auto& [path, content] : k_base_files) {
      write_text(m_project / path, content);
    }
    if (!c.commit) {
      m_head = m_repo->commit_all("base project");
    }
    for (const auto& [path, content] : c.files) {
      write_text(m_project / path, expand(content));
    }
    if (!c.setup.empty()) {
      const auto result =
          run_process({"/bin/sh", "-c", expand(c.setup)}, m_project, environment(c));
      ASSERT_EQ(result.exit_code, 0) << c.file << ": " << c.name << ": setup failed:\n"
                                     << result.err;
    }
    if (c.commit) {
      m_head = m_repo->commit_all("hostile case");
    }
  }

  [[nodiscard]] std::map<std::string, std::string> environment(const HostileCase& c) const {
    auto env = clean_environment(m_home, {{"QA_STORE", m_store_url}});
    for (const auto& [name, value] : c.env) {
      if (value) {
        env[name] = expand(*value);
      } else {
        env.erase(name);
      }
    }
    return env;
  }

  ProcessResult run_command(const HostileCase& c, const HostileCommand& command) const {
    std::vector<std::string> argv{"/usr/bin/timeout", "-s", "KILL", k_timeout_seconds,
                                  tool_path(command.argv.front()).string()};
    for (std::size_t i = 1; i < command.argv.size(); ++i) {
      argv.push_back(expand(command.argv[i]));
    }
    fs::path cwd = m_project;
    if (!c.cwd.empty()) {
      cwd = expand(c.cwd);
      fs::create_directories(cwd);
    }
    const std::string input =
        c.stdin_file.empty() ? expand(c.stdin_text) : read_text(m_project / expand(c.stdin_file));
    return run_process(argv, cwd, environment(c), input);
  }

  // Check `result` against `command` and against what no case may do.
  void check(const HostileCase& c, const HostileCommand& command, const ProcessResult& result,
             const std::string& which) const {
    std::ostringstream context;
    context << c.file << ": case " << c.name << " (" << c.why << "), " << which << " command";
    for (const auto& arg : command.argv) {
      context << " '" << expand(arg) << "'";
    }
    context << "\nexit code: " << result.exit_code << "\n--- stdout:\n"
            << excerpt(result.out) << "\n--- stderr:\n"
            << excerpt(result.err) << "\n---";
    SCOPED_TRACE(context.str());
    EXPECT_LT(result.exit_code, 128) << "ended by a signal";
    EXPECT_EQ(result.exit_code, command.exit);
    for (const auto& forbidden : k_never_on_stderr) {
      EXPECT_EQ(result.err.find(forbidden), std::string::npos) << "stderr holds " << forbidden;
    }
    if (result.exit_code == 2) {
      EXPECT_TRUE(matches_a_line(result.err, "^" + command.argv.front() + ": error: "))
          << "no line \"" << command.argv.front() << ": error: \" on stderr";
    }
    if (!command.stderr_regex.empty()) {
      EXPECT_TRUE(matches_a_line(result.err, command.stderr_regex))
          << "no stderr line matches " << command.stderr_regex;
    }
    if (!command.stdout_regex.empty()) {
      EXPECT_TRUE(matches_a_line(result.out, command.stdout_regex))
          << "no stdout line matches " << command.stdout_regex;
    }
    auto secrets = c.secrets;
    for (const auto& [name, value] : c.env) {
      if (value && !value->empty() &&
          (name.find("TOKEN") != std::string::npos || name.find("PASSWORD") != std::string::npos)) {
        secrets.push_back(*value);
      }
    }
    for (const auto& secret : secrets) {
      EXPECT_EQ(result.out.find(secret), std::string::npos) << "stdout shows the secret " << secret;
      EXPECT_EQ(result.err.find(secret), std::string::npos) << "stderr shows the secret " << secret;
    }
  }

  std::string m_store_url;
  std::string m_head;
  std::unique_ptr<NginxServer> m_nginx;
  std::unique_ptr<FaultServer> m_fault;
};

TEST_P(Hostile, Case) {
  const HostileCase& c = GetParam();
  start_server(c);
  ASSERT_NO_FATAL_FAILURE(make_project(c));
  check(c, c.run, run_command(c, c.run), "run");
  if (!c.between.empty()) {
    const auto result =
        run_process({"/bin/sh", "-c", expand(c.between)}, m_project, environment(c));
    ASSERT_EQ(result.exit_code, 0) << c.file << ": " << c.name << ": between failed:\n"
                                   << result.err;
  }
  if (c.then) {
    check(c, *c.then, run_command(c, *c.then), "then");
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, Hostile, ::testing::ValuesIn(corpus().cases), case_name);

TEST(HostileCorpus, EveryCaseFileLoads) {
  for (const auto& problem : corpus().problems) {
    ADD_FAILURE() << problem;
  }
  EXPECT_GE(corpus().cases.size(), 120U);
}

}  // namespace
}  // namespace qa::test
