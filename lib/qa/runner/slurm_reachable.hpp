#pragma once

#include <filesystem>
#include <vector>

#include <qa/runner/context.hpp>
#include <qa/runner/slurm_runner.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// Check, before anything is queued, what can be known here: Slurm's commands are installed,
// each partition that `specs` use (runners.slurm overlaid by their batch's block) has nodes, and
// when one has a node other than this machine, the store, the output folder and the checkout
// are not on a local file system (the nodes could not read them): an error that says what to
// use instead. A `memory://` store is always refused.
[[nodiscard]] Expected<void> check_slurm_reachable(const ProjectContext& context,
                                                   const std::vector<RunSpec>& specs,
                                                   const SlurmRunOptions& options);

// Whether `path` (or its nearest existing parent) is on a file system that other machines can
// mount: NFS, SMB/CIFS, Lustre, GPFS, CephFS, BeeGFS, AFS, PanFS, 9p, or FUSE (sshfs, s3fs...).
// Unknown (statfs fails): true, and the tasks will tell.
[[nodiscard]] bool on_shared_filesystem(std::filesystem::path path);

}  // namespace qa::runner
