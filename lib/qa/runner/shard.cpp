#include <qa/runner/shard.hpp>

#include <qa/util/env.hpp>

#include <charconv>
#include <string>

namespace qa::runner {

namespace {

std::optional<long long> parse_number(std::string_view text) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

Expected<Shard> make_shard(long long index, long long count, std::string_view origin) {
  if (count < 1 || index < 0 || index >= count) {
    return fail_as(ErrorKind::usage, "invalid shard {}: expected I/N with 0 <= I < N",
                   quote(origin));
  }
  return Shard{static_cast<std::size_t>(index), static_cast<std::size_t>(count)};
}

}  // namespace

Expected<Shard> parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto index = parse_number(text.substr(0, slash));
  const auto count =
      slash == std::string_view::npos ? std::nullopt : parse_number(text.substr(slash + 1));
  if (!index || !count) {
    return fail_as(ErrorKind::usage, "invalid shard {}: expected I/N, e.g. 0/3", quote(text));
  }
  return make_shard(*index, *count, text);
}

Expected<std::optional<Shard>> shard_from_environment() {
  // GitLab sets CI_NODE_TOTAL=1 in every job and CI_NODE_INDEX only in `parallel:` ones.
  const auto node_total = util::env_value("CI_NODE_TOTAL");
  if (node_total && *node_total == "1" && !util::env_value("CI_NODE_INDEX")) {
    return std::optional<Shard>();
  }
  if (const auto total = node_total) {
    const auto index = parse_number(util::env_value("CI_NODE_INDEX").value_or(""));
    const auto count = parse_number(*total);
    const std::string origin =
        "CI_NODE_INDEX/CI_NODE_TOTAL=" + util::env_value("CI_NODE_INDEX").value_or("") + "/" +
        *total;
    if (!index || !count) {
      return fail_as(ErrorKind::usage, "invalid shard {}", quote(origin));
    }
    QA_TRY_ASSIGN(auto shard, make_shard(*index - 1, *count, origin));
    return std::optional<Shard>(shard);
  }
  if (const auto total = util::env_value("SLURM_ARRAY_TASK_COUNT")) {
    const auto id = parse_number(util::env_value("SLURM_ARRAY_TASK_ID").value_or(""));
    const auto min = parse_number(util::env_value("SLURM_ARRAY_TASK_MIN").value_or("0"));
    const auto count = parse_number(*total);
    const std::string origin = "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT=" +
                               util::env_value("SLURM_ARRAY_TASK_ID").value_or("") + "/" + *total;
    if (!id || !count || !min) {
      return fail_as(ErrorKind::usage, "invalid shard {}", quote(origin));
    }
    QA_TRY_ASSIGN(auto shard, make_shard(*id - *min, *count, origin));
    return std::optional<Shard>(shard);
  }
  return std::optional<Shard>();
}

std::vector<std::size_t> shard_indices(std::size_t size, const Shard& shard) {
  std::vector<std::size_t> indices;
  for (std::size_t i = shard.index; i < size; i += shard.count) {
    indices.push_back(i);
  }
  return indices;
}

}  // namespace qa::runner
