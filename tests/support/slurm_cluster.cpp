#include "support/slurm_cluster.hpp"

#include <cstdlib>

#include "support/process.hpp"

namespace qa::test {

namespace fs = std::filesystem;

namespace {

fs::path script() { return fs::path(QA_SOURCE_DIR) / "tests" / "support" / "slurm_cluster.sh"; }

std::map<std::string, std::string> inherited() {
  std::map<std::string, std::string> env;
  for (const char* name : {"PATH", "HOME", "LANG"}) {
    if (const char* value = std::getenv(name)) {
      env[name] = value;
    }
  }
  env["PATH"] += ":/usr/sbin:/sbin";
  return env;
}

}  // namespace

SlurmCluster::SlurmCluster(fs::path dir) : m_dir(std::move(dir)) {
  const auto result = run_process({"/bin/bash", script().string(), "start", m_dir.string()},
                                  m_dir.parent_path(), inherited());
  if (result.exit_code != 0) {
    m_failure = "exit " + std::to_string(result.exit_code) + ":\n" + result.out + result.err;
    return;
  }
  std::string conf = result.out;
  while (!conf.empty() && (conf.back() == '\n' || conf.back() == '\r')) {
    conf.pop_back();
  }
  m_conf = conf;
}

SlurmCluster::~SlurmCluster() {
  (void)run_process({"/bin/bash", script().string(), "stop", m_dir.string()}, m_dir.parent_path(),
                    inherited());
}

std::map<std::string, std::string> SlurmCluster::env() const {
  return {{"SLURM_CONF", m_conf.string()}, {"PATH", inherited()["PATH"]}};
}

std::string SlurmCluster::command(const std::string& line) const {
  auto env = inherited();
  env["SLURM_CONF"] = m_conf.string();
  return run_process({"/bin/sh", "-c", line}, m_dir, env).out;
}

}  // namespace qa::test
