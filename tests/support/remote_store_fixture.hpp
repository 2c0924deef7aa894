#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/tool_fixture.hpp"

namespace qa::test {

// Base of the CLI tests of the remote stores (http, s3): a project whose batch `all` has two
// inputs, each run writing a small output that differs by input and a 300 KB one that does not,
// and m_printed, where a test keeps everything the tools printed for its leak checks.
class RemoteStoreTest : public ToolTest {
 protected:
  RemoteStoreTest() {
    write_config(R"(project: {name: acme/shared, reference_branch: main}
inputs: {database: data, globs: ['*.in'], batches: batches.yaml}
run:
  command: cat {input_path} {project_root}/level.txt > {output_dir}/out.txt; head -c 300000 {project_root}/big.bin > {output_dir}/big.bin
)");
    write_text(m_project / "batches.yaml", "all:\n  inputs: [a.in, b.in]\n");
    write_text(m_project / "data" / "a.in", "a\n");
    write_text(m_project / "data" / "b.in", "b\n");
    write_text(m_project / "level.txt", "1\n");
    std::string big(400000, 'x');
    for (std::size_t i = 0; i < big.size(); ++i) {
      big[i] = static_cast<char>('a' + (i * 7919) % 26);
    }
    write_text(m_project / "big.bin", big);
    write_text(m_project / ".gitignore", "output/\n");
  }

  // Run `tool` on "machine" `machine` (1: the project, 2: its clone m_tmp/clone once made, each
  // with its own HOME and cache) with `env` (which names the store), quick retries, verbose, and
  // keep everything it printed in m_printed.
  ProcessResult on_machine(int machine, const std::string& tool, std::vector<std::string> args,
                           std::map<std::string, std::string> env) {
    const std::filesystem::path root = m_tmp / ("machine" + std::to_string(machine));
    env["HOME"] = (root / "home").string();
    env["QA_CACHE_DIR"] = (root / "cache").string();
    env.emplace("QA_STORE_RETRIES", "1");
    env.emplace("QA_STORE_TIMEOUT", "5");
    args.push_back("-v");
    const std::filesystem::path clone = m_tmp / "clone";
    auto result = run_tool(tool, args, env,
                           machine == 2 && std::filesystem::exists(clone) ? clone : m_project);
    m_printed += result.out + result.err;
    return result;
  }

  // Return every file under `dir` concatenated (empty when it does not exist).
  static std::string all_files(const std::filesystem::path& dir) {
    if (std::filesystem::is_regular_file(dir)) {
      return read_text(dir);
    }
    std::string content;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         it != std::filesystem::recursive_directory_iterator(); ++it) {
      if (it->is_regular_file()) {
        content += read_text(it->path());
      }
    }
    return content;
  }

  std::string m_printed;
};

}  // namespace qa::test
