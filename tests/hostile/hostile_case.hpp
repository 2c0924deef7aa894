#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace qa::test {

// One command of a case and what it must give: `exit`, and ECMAScript regexes that must match
// one line of stderr and of stdout (each empty when not checked).
struct HostileCommand {
  std::vector<std::string> argv;  // the tool (qa-run, ...) and its arguments
  int exit = 0;
  std::string stderr_regex;
  std::string stdout_regex;
};

// One case of tests/hostile/cases/*.yaml; the schema is in tests/hostile/README.md.
struct HostileCase {
  std::string file;  // the case file, relative to the source tree
  std::string name;
  std::string why;
  std::vector<std::pair<std::string, std::string>> files;  // path in the project -> content
  std::string setup;
  bool commit = true;
  std::string server_mode;  // empty: no server; "nginx" or a fault_server.py mode
  std::string server_match = "/cas/";
  std::map<std::string, std::optional<std::string>> env;  // nothing: unset the variable
  std::string stdin_text;
  std::string stdin_file;
  std::string cwd;
  std::vector<std::string> secrets;
  HostileCommand run;
  std::string between;  // a /bin/sh script run after `run`, before `then` (to damage a store)
  std::optional<HostileCommand> then;
};

// Print `c` as its file and name in gtest messages.
void PrintTo(const HostileCase& c, std::ostream* out);

// The cases of every `*.yaml` file in `dir`, in file then case order, and the problems met
// while reading them (a file that does not parse, an unknown field, a bad or repeated name).
struct HostileCorpus {
  std::vector<HostileCase> cases;
  std::vector<std::string> problems;
};

HostileCorpus load_hostile_corpus(const std::filesystem::path& dir);

}  // namespace qa::test
