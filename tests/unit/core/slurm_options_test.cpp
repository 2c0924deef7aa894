#include <qa/core/slurm_options.hpp>

#include <gtest/gtest.h>

namespace qa::core {
namespace {

Expected<SlurmOptions> read(const std::string& yaml) {
  return read_slurm_options(YAML::Load(yaml), "qaboard.yaml", "runners.slurm");
}

TEST(SlurmOptionsTest, ReadsEveryKey) {
  const auto options = read(
      "{partition: gpu, time: '1-0', mem: 4G, cpus_per_task: 4, max_parallel: 10, "
      "extra_args: [--qos=low, --exclusive]}");
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->partition, "gpu");
  EXPECT_EQ(options->time, "1-0");
  EXPECT_EQ(options->mem, "4G");
  EXPECT_EQ(options->cpus_per_task, 4);
  EXPECT_EQ(options->max_parallel, 10);
  EXPECT_EQ(options->extra_args, (std::vector<std::string>{"--qos=low", "--exclusive"}));
  EXPECT_EQ(read("~").value(), SlurmOptions{});
}

TEST(SlurmOptionsTest, RefusesWhatSbatchWouldMisread) {
  auto error = [](const std::string& yaml) {
    const auto options = read(yaml);
    return options ? std::string("no error") : options.error().message;
  };
  EXPECT_NE(error("{cpus_per_task: 0}").find("from 1 to 100000"), std::string::npos);
  EXPECT_NE(error("{max_parallel: -1}").find("from 0 to 100000"), std::string::npos);
  EXPECT_NE(error("{time: --wrap=x}").find("not starting with \"-\""), std::string::npos);
  EXPECT_NE(error("{partition: 'a b'}").find("one word"), std::string::npos);
  EXPECT_NE(error("{extra_args: {a: 1}}").find("a string or a list"), std::string::npos);
  EXPECT_NE(error("{qos: low}").find("unknown key \"runners.slurm.qos\""), std::string::npos);
  EXPECT_NE(error("[gpu]").find("must be a mapping"), std::string::npos);
}

TEST(SlurmOptionsTest, ABatchBlockOverlaysTheProjectOptions) {
  SlurmOptions base;
  base.partition = "cpu";
  base.time = "10";
  base.extra_args = {"--qos=low"};
  SlurmOptions over;
  over.partition = "gpu";
  over.cpus_per_task = 2;
  over.extra_args = {"--gres=gpu:1"};
  const SlurmOptions merged = overlay(base, over);
  EXPECT_EQ(merged.partition, "gpu");
  EXPECT_EQ(merged.time, "10");
  EXPECT_EQ(merged.cpus_per_task, 2);
  EXPECT_FALSE(merged.mem);
  EXPECT_EQ(merged.extra_args, (std::vector<std::string>{"--qos=low", "--gres=gpu:1"}));
}

}  // namespace
}  // namespace qa::core
