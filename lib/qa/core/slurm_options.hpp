#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <qa/util/error.hpp>

namespace qa::core {

// The options of the job arrays that `qa-batch --runner slurm` submits: qaboard.yaml's
// `runners.slurm`, overlaid by a batch's `slurm:` block (as QA-Board's per-runner blocks):
//   runners:
//     slurm: {partition: gpu, time: "1:00:00", mem: 4G, cpus_per_task: 2, max_parallel: 50,
//             extra_args: [--qos=low]}
// An unset value is not passed to sbatch, which then applies the cluster's defaults.
struct SlurmOptions {
  std::optional<std::string> partition;  // sbatch --partition
  std::optional<std::string> time;       // sbatch --time, Slurm's format: 30, 1:00:00, 1-0...
  std::optional<std::string> mem;        // sbatch --mem: 4G, 500M...
  std::optional<int> cpus_per_task;      // sbatch --cpus-per-task; a task runs that many at once
  std::optional<int> max_parallel;       // the array's `%N`: tasks running at once; 0: no limit
  std::vector<std::string> extra_args;   // more sbatch arguments, after the others

  bool operator==(const SlurmOptions&) const = default;
};

// The keys of a `slurm:` block.
inline constexpr std::string_view k_slurm_option_keys[] = {
    "partition", "time", "mem", "cpus_per_task", "max_parallel", "extra_args"};

// Return `base` with the values that `over` sets; `over`'s extra_args follow `base`'s.
[[nodiscard]] SlurmOptions overlay(const SlurmOptions& base, const SlurmOptions& over);

// Read the `slurm:` mapping `node` of `file`, its dotted path `where` in messages
// ("runners.slurm", "smoke.slurm"). A missing or null node is no option. Errors name the file, the
// line and the key: an unknown key (with a suggestion), a value of the wrong type, a count out of
// range (cpus_per_task from 1, max_parallel from 0, both to 100,000), a time, memory or
// partition with spaces or a leading `-`.
[[nodiscard]] Expected<SlurmOptions> read_slurm_options(const YAML::Node& node,
                                                        const std::filesystem::path& file,
                                                        std::string_view where);

}  // namespace qa::core
