#include <qa/runner/slurm_reachable.hpp>

#include <algorithm>
#include <iterator>
#include <set>

#include <sys/statfs.h>

#include <fmt/core.h>

#include <qa/runner/slurm_jobs.hpp>
#include <qa/util/file.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/time.hpp>

namespace qa::runner {

namespace fs = std::filesystem;

namespace {

std::string node_names(const std::vector<SlurmNode>& nodes) {
  std::vector<std::string> names;
  for (const auto& node : nodes) {
    if (names.size() == 5) {
      names.push_back("...");
      break;
    }
    names.push_back(node.name);
  }
  return util::join(names, ", ");
}

}  // namespace

bool on_shared_filesystem(fs::path path) {
  std::error_code ec;
  while (!fs::exists(path, ec) && path.has_parent_path() && path != path.parent_path()) {
    path = path.parent_path();
  }
  struct statfs info {};
  if (::statfs(path.c_str(), &info) != 0) {
    return true;  // unknown: let the tasks tell
  }
  static constexpr unsigned long k_shared[] = {
      0x6969,      // NFS
      0x517B,      // SMB
      0xFF534D42,  // CIFS
      0xFE534D42,  // SMB2
      0x0BD00BD0,  // Lustre
      0x47504653,  // GPFS
      0x00C36400,  // CephFS
      0x19830326,  // BeeGFS
      0x5346414F,  // AFS
      0x6B414653,  // kAFS
      0xAAD7AAD7,  // PanFS
      0x01021997,  // 9p
      0x65735546,  // FUSE
  };
  const auto type = static_cast<unsigned long>(info.f_type);
  return std::find(std::begin(k_shared), std::end(k_shared), type) != std::end(k_shared);
}

Expected<void> check_slurm_reachable(const ProjectContext& context,
                                     const std::vector<RunSpec>& specs,
                                     const SlurmRunOptions& options) {
  const std::string& store = context.store_location;
  if (store.starts_with("memory://")) {
    return fail_as(ErrorKind::usage,
                   "the store {} lives in this process: Slurm's tasks cannot reach it",
                   quote(store));
  }
  QA_TRY(SlurmClient::check_installed());
  const bool local_store = store.find("://") == std::string::npos || store.starts_with("file://");
  const fs::path store_dir =
      store.starts_with("file://") ? fs::path(store.substr(7)) : fs::path(store);
  QA_TRY(util::create_dirs(options.work_dir));
  SlurmClient client(options.work_dir);
  const std::string host = util::host_name();
  std::set<std::string> partitions;
  for (const auto& spec : specs) {
    partitions.insert(overlay(context.config.runners.slurm, spec.slurm).partition.value_or(""));
  }
  for (const auto& partition : partitions) {
    QA_TRY_ASSIGN(const auto nodes, client.partition_nodes(partition));
    const std::string named =
        partition.empty() ? "the default partition" : fmt::format("partition {}", quote(partition));
    if (nodes.empty()) {
      return fail_as(ErrorKind::config, "Slurm has no node in {} (see sinfo)", named);
    }
    std::vector<SlurmNode> remote;
    std::copy_if(nodes.begin(), nodes.end(), std::back_inserter(remote),
                 [&](const SlurmNode& node) { return !is_this_machine(node, host); });
    if (remote.empty()) {
      continue;
    }
    const std::vector<std::pair<std::string, fs::path>> folders{
        {"the store", local_store ? store_dir : fs::path()},
        {"the output folder", context.output_root},
        {"the project", context.config.root}};
    for (const auto& [what, folder] : folders) {
      if (!folder.empty() && !on_shared_filesystem(folder)) {
        return fail_as(ErrorKind::config,
                       "{} {} is on this machine's local disk, which the nodes of {} ({}) cannot "
                       "read: use a folder they share (NFS, Lustre, CephFS...){}",
                       what, quote(folder.string()), named, node_names(remote),
                       what == "the store" ? " or an http(s):// or s3:// store (--store)" : "");
      }
    }
  }
  return {};
}

}  // namespace qa::runner
