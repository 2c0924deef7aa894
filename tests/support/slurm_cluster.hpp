#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace qa::test {

// A real one-node Slurm cluster (munged, slurmctld, slurmd) on loopback, started by
// tests/support/slurm_cluster.sh in `dir` with its own SLURM_CONF and free ports, and stopped by
// PID (its jobs cancelled first) when destroyed. A missing Slurm fails the test: it is never a
// skip (scripts/bootstrap installs it).
class SlurmCluster {
 public:
  explicit SlurmCluster(std::filesystem::path dir);
  ~SlurmCluster();
  SlurmCluster(const SlurmCluster&) = delete;
  SlurmCluster& operator=(const SlurmCluster&) = delete;

  [[nodiscard]] bool running() const { return !m_conf.empty(); }
  // The environment that makes Slurm's commands talk to this cluster: SLURM_CONF, and PATH.
  [[nodiscard]] std::map<std::string, std::string> env() const;
  // Run a Slurm command line (e.g. "squeue -h") against this cluster; return its stdout.
  [[nodiscard]] std::string command(const std::string& line) const;
  // Why the cluster did not start: the script's output.
  [[nodiscard]] const std::string& failure() const { return m_failure; }

 private:
  std::filesystem::path m_dir;
  std::filesystem::path m_conf;
  std::string m_failure;
};

}  // namespace qa::test
