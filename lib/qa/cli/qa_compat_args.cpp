// How `qa` reads QA-Board's command arguments and hands them to the qatools tools.
#include <qa/cli/qa_compat.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace qa::cli::compat {

namespace {

// QA-Board's renamed spellings (qaboard/compat.py), still accepted by `qa`.
const std::vector<std::pair<std::string_view, std::string_view>> k_renamed{
    {"--input-path", "--input"},
    {"--output-path", "--output"},
    {"save_artifacts", "save-artifacts"},
    {"check_bit_accuracy", "check-bit-accuracy"},
    {"--reference-branch", "--reference"},
    {"--batch-label", "--label"},
    {"--inputs-database", "--database"},
    {"--save-manifests", "--save-manifests-in-database"},
    {"--return-prefix-outputs-path", "--list-output-dirs"},
    {"--ci", "--share"},
    {"--dry-run", "--dryrun"},
    {"--lsf-memory", "--lsf-max-memory"},
    {"--group", "--batch"},
    {"--groups-file", "--batches-file"},
    {"--no-qa-database", "--offline"},
};

const OptionSpec* find_spec(const std::vector<OptionSpec>& specs, std::string_view name) {
  for (const auto& spec : specs) {
    if (std::find(spec.names.begin(), spec.names.end(), name) != spec.names.end()) {
      return &spec;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> ParsedArgs::last(std::string_view name) const {
  const auto found = values.find(std::string(name));
  if (found == values.end() || found->second.empty()) {
    return std::nullopt;
  }
  return found->second.back();
}

std::vector<std::string> ParsedArgs::all(std::string_view name) const {
  const auto found = values.find(std::string(name));
  return found == values.end() ? std::vector<std::string>{} : found->second;
}

std::string current_spelling(const std::string& token) {
  const std::string_view name = std::string_view(token).substr(0, token.find('='));
  for (const auto& [before, after] : k_renamed) {
    if (name == before) {
      note(fmt::format("{} is deprecated: use {}", quote(before), quote(after)));
      return std::string(after) + token.substr(name.size());
    }
  }
  return token;
}

Expected<ParsedArgs> parse_command_args(std::string_view command,
                                        const std::vector<std::string>& args,
                                        const std::vector<OptionSpec>& specs,
                                        Interspersed interspersed) {
  ParsedArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      parsed.rest.insert(parsed.rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                         args.end());
      break;
    }
    const bool is_option = args[i].size() > 1 && args[i].front() == '-';
    if (!is_option) {
      if (interspersed == Interspersed::no) {
        parsed.rest.insert(parsed.rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i),
                           args.end());
        break;
      }
      parsed.rest.push_back(args[i]);
      continue;
    }
    const std::string token = current_spelling(args[i]);
    const std::size_t equal = token.starts_with("--") ? token.find('=') : std::string::npos;
    const std::string name = token.substr(0, equal);
    const OptionSpec* spec = find_spec(specs, name);
    if (spec == nullptr) {
      parsed.rest.push_back(token);  // QA-Board forwards unknown options
      continue;
    }
    auto& values = parsed.values[std::string(spec->names.front())];
    if (!spec->takes_value) {
      if (equal != std::string::npos) {
        return fail_as(ErrorKind::usage, "option {} of qa {} takes no value", quote(name), command);
      }
      values.emplace_back();
    } else if (equal != std::string::npos) {
      values.push_back(token.substr(equal + 1));
    } else if (i + 1 < args.size()) {
      values.push_back(args[++i]);
    } else {
      return fail_as(ErrorKind::usage, "option {} of qa {} needs a value", quote(name), command);
    }
  }
  return parsed;
}

void note(std::string_view message) {
  std::fprintf(stderr, "qa: note: %.*s\n", static_cast<int>(message.size()), message.data());
}

std::vector<std::string> common_args(const GroupOptions& group) {
  std::vector<std::string> args;
  if (group.common.verbose) {
    args.emplace_back("-v");
  }
  if (group.common.store) {
    args.insert(args.end(), {"--store", *group.common.store});
  }
  args.insert(args.end(), {"--label", group.common.label});
  for (const auto& config : group.common.configs) {
    args.insert(args.end(), {"--config", config});
  }
  for (const auto& param : group.common.params) {
    args.insert(args.end(), {"--param", param});
  }
  return args;
}

int call_tool(int (*tool_main)(int, char**), std::string_view tool,
              const std::vector<std::string>& args) {
  std::vector<std::string> storage;
  storage.emplace_back(tool);
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : storage) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  std::cout.flush();
  return tool_main(static_cast<int>(storage.size()), argv.data());
}

}  // namespace qa::cli::compat
