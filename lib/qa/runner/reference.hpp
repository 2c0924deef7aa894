#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/run_record.hpp>
#include <qa/runner/context.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// The commit that a comparison uses as its reference, and why it was chosen.
struct ReferenceChoice {
  std::string requested;           // "auto", or the ref given
  std::string commit;              // full sha (a commit key of the store)
  std::string reason;              // one sentence, printed on stderr and written into reports
  std::vector<std::string> tried;  // the commits looked at, nearest first
};

// Return `choice` as JSON: {"requested", "commit", "reason", "tried"}.
[[nodiscard]] nlohmann::json to_json(const ReferenceChoice& choice);

struct ReferenceRequest {
  std::string ref = "auto";       // "auto", or a sha, tag or branch
  std::vector<std::string> keys;  // the runs asked for (none: any run of the commit counts)
  int max_depth = 20;             // first parents walked by `auto`
};

// Return the request for the reference of `records`: `ref` (or "auto"), walking up to
// `max_depth` first parents, for their keys.
[[nodiscard]] ReferenceRequest reference_request(std::string ref, int max_depth,
                                                 const std::vector<core::RunRecord>& records);

// Resolve the reference of the current commit (SPEC section 5, "Reference resolution").
// An explicit ref is used as given: a sha, tag or branch known to git, else a milestone of the
// store (qa-store tag), else a branch of the store's branch index. `auto` starts at
// CI_MERGE_REQUEST_DIFF_BASE_SHA when set, else the merge-base of HEAD with the reference branch
// (GITHUB_BASE_REF when set, else project.reference_branch; local or origin/), or the first parent
// of HEAD when on the reference branch itself; it then walks first parents (up to `max_depth`) to
// the nearest commit with results for `keys`. When git cannot answer (a shallow clone, an unknown
// branch), the store's branch index of the reference branch is used. No commit with results is an
// error with exit code 3 that says which commits were tried and how to produce their results.
[[nodiscard]] Expected<ReferenceChoice> resolve_reference(const ProjectContext& context,
                                                          store::Store& store,
                                                          const ReferenceRequest& request);

// Return the commit key that `ref` names: the current commit (with `-dirty` when the tree is)
// for "HEAD" or an empty ref, else a sha, tag or branch known to git, else a milestone of the
// store, else a branch of the store's branch index; an error naming `ref` otherwise.
[[nodiscard]] Expected<std::string> resolve_commit(const ProjectContext& context,
                                                   store::Store& store, std::string_view ref);

}  // namespace qa::runner
