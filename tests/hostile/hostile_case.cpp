#include "hostile/hostile_case.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>
#include <set>

namespace qa::test {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> k_fields{"name",    "why",  "files",     "setup",       "commit",
                                     "server",  "env",  "stdin",     "stdin_file",  "cwd",
                                     "secrets", "run",  "exit",      "stderr",      "stdout",
                                     "between", "then", "then_exit", "then_stdout", "then_stderr"};

bool valid_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::string> strings(const YAML::Node& node) {
  std::vector<std::string> out;
  for (const auto& item : node) {
    out.push_back(item.as<std::string>());
  }
  return out;
}

// Return the problem with the regex `pattern`, or nothing when it compiles.
std::string regex_problem(const std::string& pattern) {
  try {
    std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    return "bad regex '" + pattern + "': " + error.what();
  }
  return {};
}

HostileCommand command(const YAML::Node& entry, const std::string& prefix,
                       std::vector<std::string>& problems, const std::string& where) {
  HostileCommand command;
  const std::string run_key = prefix.empty() ? "run" : "then";
  command.argv = strings(entry[run_key]);
  if (command.argv.empty() ||
      (!command.argv.front().starts_with("qa-") && command.argv.front() != "qa")) {
    problems.push_back(where + ": " + run_key + " must start with a tool (qa-... or qa)");
  }
  command.exit = entry[prefix + "exit"] ? entry[prefix + "exit"].as<int>() : 0;
  if (entry[prefix + "stderr"]) {
    command.stderr_regex = entry[prefix + "stderr"].as<std::string>();
  }
  if (entry[prefix + "stdout"]) {
    command.stdout_regex = entry[prefix + "stdout"].as<std::string>();
  }
  if (command.exit != 0 && command.stderr_regex.empty() && command.stdout_regex.empty()) {
    problems.push_back(where + ": " + prefix + "stderr (or " + prefix +
                       "stdout) is required when " + prefix + "exit is " +
                       std::to_string(command.exit));
  }
  for (const auto& pattern : {command.stderr_regex, command.stdout_regex}) {
    if (const auto problem = regex_problem(pattern); !problem.empty()) {
      problems.push_back(where + ": " + problem);
    }
  }
  return command;
}

HostileCase read_case(const YAML::Node& entry, const std::string& file,
                      std::vector<std::string>& problems) {
  HostileCase c;
  c.file = file;
  c.name = entry["name"] ? entry["name"].as<std::string>() : "";
  const std::string where = file + ": case \"" + c.name + "\"";
  for (const auto& field : entry) {
    if (!k_fields.contains(field.first.as<std::string>())) {
      problems.push_back(where + ": unknown field \"" + field.first.as<std::string>() + "\"");
    }
  }
  if (!valid_name(c.name)) {
    problems.push_back(where + ": a name is [a-z0-9_]+");
  }
  c.why = entry["why"] ? entry["why"].as<std::string>() : "";
  if (c.why.empty()) {
    problems.push_back(where + ": why is required");
  }
  for (const auto& file_entry : entry["files"]) {
    c.files.emplace_back(file_entry.first.as<std::string>(), file_entry.second.as<std::string>());
  }
  c.setup = entry["setup"] ? entry["setup"].as<std::string>() : "";
  c.commit = entry["commit"] ? entry["commit"].as<bool>() : true;
  if (const auto server = entry["server"]) {
    c.server_mode = server["mode"].as<std::string>();
    if (server["match"]) {
      c.server_match = server["match"].as<std::string>();
    }
  }
  for (const auto& variable : entry["env"]) {
    const auto name = variable.first.as<std::string>();
    if (variable.second.IsNull()) {
      c.env[name] = std::nullopt;
    } else {
      c.env[name] = variable.second.as<std::string>();
    }
  }
  c.stdin_text = entry["stdin"] ? entry["stdin"].as<std::string>() : "";
  c.stdin_file = entry["stdin_file"] ? entry["stdin_file"].as<std::string>() : "";
  c.cwd = entry["cwd"] ? entry["cwd"].as<std::string>() : "";
  if (entry["secrets"]) {
    c.secrets = strings(entry["secrets"]);
  }
  c.run = command(entry, "", problems, where);
  c.between = entry["between"] ? entry["between"].as<std::string>() : "";
  if (entry["then"]) {
    c.then = command(entry, "then_", problems, where);
  } else if (entry["then_exit"] || entry["then_stdout"] || entry["then_stderr"]) {
    problems.push_back(where + ": then_* without then");
  }
  return c;
}

}  // namespace

void PrintTo(const HostileCase& c, std::ostream* out) { *out << c.file << ": " << c.name; }

HostileCorpus load_hostile_corpus(const fs::path& dir) {
  HostileCorpus corpus;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    corpus.problems.push_back("cannot list " + dir.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  std::set<std::string> names;
  for (const auto& path : files) {
    const std::string file = "tests/hostile/cases/" + path.filename().string();
    try {
      const YAML::Node root = YAML::LoadFile(path.string());
      if (!root.IsSequence()) {
        corpus.problems.push_back(file + ": a list of cases expected");
        continue;
      }
      for (const auto& entry : root) {
        auto c = read_case(entry, file, corpus.problems);
        if (!names.insert(c.name).second) {
          corpus.problems.push_back(file + ": the name \"" + c.name + "\" is used twice");
          continue;  // gtest refuses two tests of one name
        }
        corpus.cases.push_back(std::move(c));
      }
    } catch (const YAML::Exception& error) {
      corpus.problems.push_back(file + ": " + error.what());
    }
  }
  return corpus;
}

}  // namespace qa::test
