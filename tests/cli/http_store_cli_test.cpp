// The http store through the built tools: two "machines" (clones with their own HOME and cache)
// sharing one nginx store, the faults of the fault server, and no credential anywhere.
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "support/http_servers.hpp"
#include "support/remote_store_fixture.hpp"
#include "support/store_check.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* k_token = "s3cr3t-token-xyz";

class HttpStore : public RemoteStoreTest {
 protected:
  // Run `tool` on "machine" `machine` (on_machine()) with the http store at `url`.
  ProcessResult on(int machine, const std::string& url, const std::string& tool,
                   std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    env["QA_STORE"] = url;
    env.emplace("QA_STORE_TOKEN", k_token);
    return on_machine(machine, tool, std::move(args), std::move(env));
  }
};

TEST_F(HttpStore, TwoMachinesShareOneNginxStore) {
  NginxServer nginx(m_tmp / "nginx", k_token);
  ASSERT_TRUE(nginx.running());
  const std::string url = nginx.url("qa");
  const std::string a = m_repo->commit_all("A");
  // One run at a time: two runs racing to store the same new blob may both send it.
  auto batch = on(1, url, "qa-batch", {"all", "-j", "1"});
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  const std::size_t blob_puts = nginx.count("PUT", "/qa/cas/");
  EXPECT_EQ(blob_puts, 5U) << "out.txt x2, big.bin once, a log per run";
  EXPECT_EQ(nginx.count("PUT", "/run.json"), 2U);

  // Re-running the batch at A sends no blob again.
  batch = on(1, url, "qa-batch", {"all"});
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  EXPECT_EQ(nginx.count("PUT", "/qa/cas/"), blob_puts);

  // Machine 2: a clone at commit B (same outputs), its own HOME and cache.
  sh("git clone -q '" + m_project.string() + "' clone", m_tmp.path());
  GitRepo clone(m_tmp / "clone");
  write_text(m_tmp / "clone" / "notes", "B");
  clone.commit_all("B");
  ASSERT_EQ(on(2, url, "qa-batch", {"all"}).exit_code, 0);
  nginx.clear_log();
  auto bitacc = on(2, url, "qa-bitacc", {"all", "--reference", a});
  EXPECT_EQ(bitacc.exit_code, 0) << bitacc.out << bitacc.err;
  EXPECT_EQ(nginx.count("GET", "/cas/"), 0U) << "the check reads records only";
  EXPECT_GT(nginx.count("GET", ".pack"), 0U) << "the records come from the commits' packs";
  EXPECT_EQ(nginx.count("GET", "/run.json"), 0U) << "the packs hold every run";

  // All runs listed without naming the batch (from the packs).
  const auto runs = on(2, url, "qa-get", {"runs", "--commit", a});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(std::count(runs.out.begin(), runs.out.end(), '\n'), 2);

  // qa-get reproduces A's outputs byte for byte; the second time from the cache.
  nginx.clear_log();
  const fs::path d = m_tmp / "fetched";
  auto get = on(2, url, "qa-get", {"--input", "b.in", "--reference", a, "--to", d.string()});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  const fs::path produced = m_project / "output" / "default" / "default" / "b.in";
  EXPECT_EQ(read_text(d / "out.txt"), read_text(produced / "out.txt"));
  EXPECT_EQ(read_text(d / "big.bin"), read_text(produced / "big.bin"));
  EXPECT_EQ(read_text(d / "big.bin").size(), 300000U);
  EXPECT_EQ(nginx.count("GET", "/cas/"), 2U);
  get = on(2, url, "qa-get",
           {"--input", "b.in", "--reference", a, "--to", (m_tmp / "again").string()});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(nginx.count("GET", "/cas/"), 2U) << "the second qa-get downloads nothing";
  EXPECT_EQ(read_text(m_tmp / "again" / "big.bin"), read_text(produced / "big.bin"));

  // One output differs at C: exit 1.
  write_text(m_tmp / "clone" / "data" / "b.in", "B\n");
  clone.commit_all("C");
  ASSERT_EQ(on(2, url, "qa-batch", {"all"}).exit_code, 0);
  bitacc = on(2, url, "qa-bitacc", {"all", "--reference", a});
  EXPECT_EQ(bitacc.exit_code, 1) << bitacc.out << bitacc.err;

  // qa-report on machine 2 reads A's records over http too.
  const fs::path reports = m_tmp / "reports";
  const auto report =
      on(2, url, "qa-report",
         {"--commit", "HEAD", "all", "--reference", a, "--json", (reports / "report.json").string(),
          "--md", (reports / "summary.md").string(), "--html", (reports / "index.html").string()});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const json report_json = json::parse(read_text(reports / "report.json"));
  EXPECT_EQ(report_json["reference"]["commit"], a);
  EXPECT_EQ(report_json["totals"]["bit_different"], 1);
  EXPECT_EQ(report_json["totals"]["bit_identical"], 1);

  // The token is nowhere: outputs, logs, records, caches, anything printed.
  EXPECT_EQ(m_printed.find(k_token), std::string::npos);
  EXPECT_NE(m_printed.find("debug: GET "), std::string::npos) << "-v logs the requests";
  for (const fs::path& dir :
       {nginx.data(), m_tmp / "nginx" / "access.log", m_project / "output",
        m_tmp / "clone" / "output", m_tmp / "machine1", m_tmp / "machine2", d, reports}) {
    EXPECT_EQ(all_files(dir).find(k_token), std::string::npos) << dir;
  }
}

TEST_F(HttpStore, StorageInQaboardYamlSelectsTheStoreAndItsPasswordIsNeverShown) {
  NginxServer nginx(m_tmp / "nginx");
  ASSERT_TRUE(nginx.running());
  const std::string url = nginx.url("qa");
  const std::string with_password = "http://bot:pa55w0rd@" + url.substr(7);
  write_config(read_text(m_project / "qaboard.yaml") + "storage: " + with_password + "\n");
  m_repo->commit_all("A");
  // Without QA_STORE, the tools use qaboard.yaml's storage.
  const auto store =
      run_process({tool_path("qa-get").string(), "store"}, m_project, clean_environment(m_home));
  EXPECT_EQ(store.out, url + "\n");
  const auto run = run_process({tool_path("qa-run").string(), "--input", "a.in", "-v"}, m_project,
                               clean_environment(m_home));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(nginx.count("PUT", "/qa/acme/shared/commits/"), 1U);
  EXPECT_EQ((run.out + run.err + store.err).find("pa55w0rd"), std::string::npos);
  EXPECT_EQ(all_files(nginx.data()).find("pa55w0rd"), std::string::npos);
}

TEST_F(HttpStore, AWrongOrMissingTokenIsExit2NamingTheVariable) {
  FaultServer server(m_tmp / "fault", "401");
  ASSERT_TRUE(server.running());
  m_repo->commit_all("A");
  const auto run = on(1, server.url(), "qa-run", {"--input", "a.in"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("QA_STORE_TOKEN"), std::string::npos) << run.err;
  const auto anonymous = on(1, server.url(), "qa-get", {"runs", "all"}, {{"QA_STORE_TOKEN", ""}});
  EXPECT_EQ(anonymous.exit_code, 2);
  EXPECT_NE(anonymous.err.find("set QA_STORE_TOKEN"), std::string::npos) << anonymous.err;
  EXPECT_EQ(m_printed.find(k_token), std::string::npos);
}

TEST_F(HttpStore, AFailedUploadLeavesNoRecord) {
  FaultServer server(m_tmp / "fault", "put-500");
  ASSERT_TRUE(server.running());
  m_repo->commit_all("A");
  const auto run = on(1, server.url(), "qa-run", {"--input", "a.in"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("answered 500"), std::string::npos) << run.err;
  EXPECT_EQ(server.count("PUT", "run.json"), 0U);
  EXPECT_TRUE(all_files(server.data()).empty());
}

TEST_F(HttpStore, CorruptDownloadsAreRefusedAndNothingIsCached) {
  for (const std::string mode : {"truncated", "wrong-bytes"}) {
    FaultServer server(m_tmp / ("fault-" + mode), mode);
    ASSERT_TRUE(server.running());
    if (m_repo->git("rev-list --all --count") == "0") {
      m_repo->commit_all("A");
    }
    ASSERT_EQ(on(1, server.url(), "qa-run", {"--input", "a.in"}).exit_code, 0);
    const fs::path to = m_tmp / ("to-" + mode);
    const auto get = on(2, server.url(), "qa-get", {"--input", "a.in", "--to", to.string()},
                        {{"QA_STORE_RETRIES", "0"}});
    EXPECT_EQ(get.exit_code, 2) << mode;
    EXPECT_NE(get.err.find("corrupt"), std::string::npos) << get.err;
    EXPECT_EQ(all_files(m_tmp / "machine2" / "cache"), "") << mode;
    EXPECT_FALSE(fs::exists(to / "big.bin"));
  }
}

TEST_F(HttpStore, AServerThatNeverAnswersFailsWithinTheTimeout) {
  FaultServer server(m_tmp / "fault", "hang", ".");
  ASSERT_TRUE(server.running());
  m_repo->commit_all("A");
  const auto start = std::chrono::steady_clock::now();
  const auto get = on(1, server.url(), "qa-get", {"runs", "all"},
                      {{"QA_STORE_TIMEOUT", "1"}, {"QA_STORE_RETRIES", "1"}});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(get.exit_code, 2) << get.err;
  EXPECT_LT(seconds, 30.0) << "the server hangs for an hour: the timeout ended the wait";
  EXPECT_NE(get.err.find("after 2 attempts"), std::string::npos) << get.err;
}

TEST_F(HttpStore, FlakyServersCostRetriesNotData) {
  for (const std::string mode : {"500-twice", "reset-mid-body"}) {
    FaultServer server(m_tmp / ("fault-" + mode), mode, mode == "500-twice" ? "/cas/" : "big");
    ASSERT_TRUE(server.running());
    if (m_repo->git("rev-list --all --count") == "0") {
      m_repo->commit_all("A");
    }
    const auto run = on(1, server.url(), "qa-run", {"--input", "b.in"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const fs::path to = m_tmp / ("to-" + mode);
    const auto get = on(2, server.url(), "qa-get", {"--input", "b.in", "--to", to.string()},
                        {{"QA_CACHE_DIR", (m_tmp / ("cache-" + mode)).string()}});
    ASSERT_EQ(get.exit_code, 0) << mode << get.err;
    EXPECT_EQ(read_text(to / "big.bin"),
              read_text(m_project / "output" / "default" / "default" / "b.in" / "big.bin"));
  }
}

TEST_F(HttpStore, KillNineAtRandomPointsLeavesOnlyCompleteRecords) {
  NginxServer nginx(m_tmp / "nginx", k_token);
  ASSERT_TRUE(nginx.running());
  const std::string url = nginx.url("qa");
  for (int i = 0; i < 8; ++i) {
    write_text(m_project / "data" / "many" / ("m" + std::to_string(i) + ".in"), std::to_string(i));
  }
  m_repo->commit_all("many");
  const fs::path root = m_tmp / "machine1";
  std::map<std::string, std::string> env{
      {"QA_STORE", url}, {"QA_STORE_TOKEN", k_token}, {"QA_CACHE_DIR", (root / "cache").string()}};
  std::mt19937 random(std::random_device{}());
  for (int trial = 0; trial < 3; ++trial) {
    const int pid =
        spawn_process({tool_path("qa-batch").string(), "many/", "-j", "2"}, m_project,
                      clean_environment(m_home, env), m_tmp / "killed.out", m_tmp / "killed.err");
    const int delay_ms = std::uniform_int_distribution<int>(0, 300)(random);
    // Once the batch has begun to store, after a random delay: a kill while blobs and records
    // are being written.
    for (int i = 0; i < 1000 && !fs::exists(nginx.data() / "qa" / "cas"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    ASSERT_TRUE(wait_process(pid, 10000).has_value());
    const auto check = check_store(nginx.data() / "qa");
    EXPECT_TRUE(check.problems.empty())
        << "killed after " << delay_ms << " ms: " << check.problems.front();
  }
  const auto rerun = on(1, url, "qa-batch", {"many/", "--on-existing", "skip"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const auto check = check_store(nginx.data() / "qa");
  EXPECT_EQ(check.records, 8U);
  EXPECT_TRUE(check.problems.empty()) << check.problems.front();
}

}  // namespace
}  // namespace qa::test
