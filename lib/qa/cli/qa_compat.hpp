#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <qa/cli/common.hpp>
#include <qa/util/error.hpp>

// The `qa` command: QA-Board's command line (`qa [GROUP OPTIONS] COMMAND [OPTIONS] [ARGS]`)
// translated into the qatools tools, which it calls in-process. Internal to lib/qa/cli.
namespace qa::cli::compat {

// QA-Board's group options, those given before the command, as qatools understands them.
struct GroupOptions {
  CommonOptions common;  // --store, -v, --label, --config (-c), --param (from --tuning)
  bool dryrun = false;   // --dryrun (--dry-run)
};

// One option of a QA-Board command: its spellings (the first is canonical) and whether it takes
// a value.
struct OptionSpec {
  std::vector<std::string_view> names;
  bool takes_value = false;
};

// Whether options are read after the first positional argument (click's
// `allow_interspersed_args`): `qa batch` reads them anywhere, `qa run` forwards all that follows.
enum class Interspersed { no, yes };

// A command's arguments once read: the values of known options by canonical name (a flag's
// value is ""), and every other argument in order (positionals and unknown options, which
// QA-Board forwards: `ignore_unknown_options`).
struct ParsedArgs {
  std::map<std::string, std::vector<std::string>> values;
  std::vector<std::string> rest;

  [[nodiscard]] bool has(std::string_view name) const { return values.contains(std::string(name)); }
  [[nodiscard]] std::optional<std::string> last(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
};

// Return QA-Board's current spelling of the deprecated `token` (`--batch-label` is `--label`),
// printing a one-line deprecation note on stderr; other tokens are returned unchanged.
[[nodiscard]] std::string current_spelling(const std::string& token);

// Read `args` of the command `command` against `specs` (`--opt value`, `--opt=value`, `-o value`;
// deprecated spellings accepted; `--` ends the options).
[[nodiscard]] Expected<ParsedArgs> parse_command_args(std::string_view command,
                                                      const std::vector<std::string>& args,
                                                      const std::vector<OptionSpec>& specs,
                                                      Interspersed interspersed);

// Print `message` on stderr as `qa: note: <message>`.
void note(std::string_view message);

// Return the arguments that pass the group options on to a qatools tool.
[[nodiscard]] std::vector<std::string> common_args(const GroupOptions& group);

// Call the tool main `tool_main` in-process as `tool` with `args`; return its exit code.
[[nodiscard]] int call_tool(int (*tool_main)(int, char**), std::string_view tool,
                            const std::vector<std::string>& args);

// `qa batch`: run the batch with qa-batch, or print QA-Board's listings (--list: a JSON array,
// --list-output-dirs and --list-inputs: one line per run) and --dryrun's commands.
[[nodiscard]] Expected<int> batch_command(const GroupOptions& group,
                                          const std::vector<std::string>& args);

// `qa optimize --batch B... --config-file FILE [--parallel-param-sampling N] [ARGS...]`: run
// `qa-batch B... --optimize FILE`, the other arguments forwarded to every run as `qa batch` does.
[[nodiscard]] Expected<int> optimize_command(const GroupOptions& group,
                                             const std::vector<std::string>& args);

// `qa init`: write a commented qaboard.yaml and an example batches file in the current folder
// of a git repository; an existing qaboard.yaml is kept (exit 0), another existing file refused.
[[nodiscard]] Expected<int> init_command(const GroupOptions& group,
                                         const std::vector<std::string>& args);

}  // namespace qa::cli::compat
