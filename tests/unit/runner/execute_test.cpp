#include <qa/runner/execute.hpp>

#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <qa/runner/plan.hpp>
#include <qa/util/hash.hpp>
#include <qa/util/interrupt.hpp>

#include "support/project_fixture.hpp"
#include "support/signals.hpp"

namespace qa::runner {
namespace {

// One input and a command set per test.
class ExecuteTest : public test::ProjectTest {
 protected:
  void project_with(const std::string& run_block) {
    commit({{"qaboard.yaml", "project: {name: acme/exec}\ninputs: {database: data}\n" + run_block},
            {"data/in.txt", "input bytes\n"}});
  }

  RunSpec spec() {
    auto made = make_run_spec(m_context, "in.txt", nlohmann::json::array(),
                              nlohmann::json::object(), "default", std::nullopt);
    EXPECT_TRUE(made) << made.error().message;
    return *made;
  }

  Expected<core::RunRecord> execute(const ExecuteOptions& options = {}) {
    return execute_run(m_context, m_store, spec(), options);
  }
};

TEST_F(ExecuteTest, ARunIsRecordedWithItsOutputsMetricsAndLogStored) {
  project_with(R"(run:
  command: 'cp {input_path} {output_dir}/out.txt && echo said-on-stdout && printf "{\"psnr\": 31.5, \"badges\": {\"b\": 1}}" > {output_dir}/metrics.json'
)");
  const auto record = execute();
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->status, core::RunStatus::ok);
  EXPECT_EQ(record->exit_code, 0);
  EXPECT_EQ(record->commit, m_context.commit.key());
  EXPECT_EQ(record->metrics["psnr"], 31.5);
  EXPECT_EQ(record->metrics["is_failed"], false);
  EXPECT_TRUE(record->metrics.contains("compute_time"));
  EXPECT_EQ(record->badges["b"], 1);
  ASSERT_TRUE(record->files.contains("out.txt"));
  EXPECT_EQ(record->files.at("out.txt").hash, util::hash_bytes("input bytes\n"));
  EXPECT_FALSE(record->files.contains(k_log_file_name)) << "the log is not an output";
  ASSERT_TRUE(record->log);

  // What is stored: the record, then every blob it names.
  const auto stored = m_store.get_run("acme/exec", m_context.commit.key(), record->key);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->files.at("out.txt").hash, record->files.at("out.txt").hash);
  ASSERT_TRUE(m_store.get_blob(record->log->entry.hash, m_tmp / "log"));
  const std::string log = test::read_text(m_tmp / "log");
  EXPECT_NE(log.find("said-on-stdout"), std::string::npos) << log;
  EXPECT_NE(log.find("$ cp "), std::string::npos) << "the log says what ran: " << log;
}

TEST_F(ExecuteTest, AFailingCommandIsAFailedRunNotAnError) {
  project_with(
      "run:\n  command: 'echo partial > {output_dir}/o.txt; exit 7'\n"
      "  postprocess: 'touch {output_dir}/postprocessed'\n");
  const auto record = execute();
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->status, core::RunStatus::failed);
  EXPECT_EQ(record->exit_code, 7);
  EXPECT_EQ(record->metrics["is_failed"], true);
  EXPECT_TRUE(record->files.contains("o.txt")) << "a failed run's outputs are kept for review";
  EXPECT_FALSE(record->files.contains("postprocessed")) << "no postprocess after a failure";
  EXPECT_TRUE(m_store.get_run("acme/exec", m_context.commit.key(), record->key)->has_value());
}

TEST_F(ExecuteTest, IsFailedTrueInTheMetricsFailsTheRun) {
  project_with(
      "run:\n  command: 'printf \"{\\\"is_failed\\\": true, \\\"psnr\\\": 1}\" > "
      "{output_dir}/metrics.json'\n");
  const auto record = execute();
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->status, core::RunStatus::failed);
  EXPECT_EQ(record->exit_code, 0);
  EXPECT_EQ(record->metrics["is_failed"], true);
  EXPECT_EQ(record->metrics["psnr"], 1);
}

TEST_F(ExecuteTest, AFailingPostprocessFailsTheRun) {
  project_with("run:\n  command: 'true'\n  postprocess: 'exit 3'\n");
  const auto record = execute();
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->status, core::RunStatus::failed);
  EXPECT_EQ(record->exit_code, 3);
}

TEST_F(ExecuteTest, ATimeoutKillsTheCommandAndSaysSoInTheLog) {
  project_with("run:\n  command: 'sleep 30'\n  timeout: 0.2\n");
  const auto record = execute();
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->status, core::RunStatus::timeout);
  ASSERT_TRUE(m_store.get_blob(record->log->entry.hash, m_tmp / "log"));
  EXPECT_NE(test::read_text(m_tmp / "log").find("killed after the timeout"), std::string::npos);
}

TEST_F(ExecuteTest, InvalidMetricsOfAnOkRunAreAnErrorAndNothingIsRecorded) {
  project_with("run:\n  command: 'echo \"{not json\" > {output_dir}/metrics.json'\n");
  const auto record = execute();
  ASSERT_FALSE(record);
  EXPECT_NE(record.error().message.find("metrics.json"), std::string::npos)
      << record.error().message;
  EXPECT_FALSE(m_store.get_run("acme/exec", m_context.commit.key(), spec().key)->has_value());
}

TEST_F(ExecuteTest, ExtraArgumentsArePassedShellQuoted) {
  project_with("run:\n  command: 'printf \"%s|\" > {output_dir}/args.txt'\n");
  const auto command = build_command(m_context, spec(), {"a b", "$HOME", "'q'"});
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_NE(command->find("'a b'"), std::string::npos) << *command;
  ExecuteOptions options;
  options.extra_args = {"a b", "$HOME", "'q'"};
  const auto record = execute(options);
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(test::read_text(spec().output_dir / "args.txt"), "a b|$HOME|'q'|");
}

TEST_F(ExecuteTest, NoCommandIsAnErrorNamingTheFile) {
  project_with("run: {}\n");
  const auto record = execute();
  ASSERT_FALSE(record);
  EXPECT_NE(record.error().message.find("run.command"), std::string::npos);
  EXPECT_NE(record.error().message.find("qaboard.yaml"), std::string::npos);
}

TEST_F(ExecuteTest, AnInterruptIsAnErrorOfKindInterruptedAndRecordsNothing) {
  project_with("run:\n  command: 'sleep 30'\n");
  const test::ScopedSignalHandlers keep;
  util::install_interrupt_handlers();
  std::thread interrupter([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(::getpid(), SIGINT);
  });
  const auto record = execute();
  interrupter.join();
  ASSERT_FALSE(record);
  EXPECT_EQ(record.error().kind, ErrorKind::interrupted);
  EXPECT_FALSE(m_store.get_run("acme/exec", m_context.commit.key(), spec().key)->has_value());
}

}  // namespace
}  // namespace qa::runner
