#include <qa/cli/common.hpp>
#include <qa/cli/tools.hpp>

namespace qa::cli {

// The tools whose issues have not landed yet.

int qa_report(int argc, char** argv) {
  return not_implemented("qa-report", "Compare a commit's results with its reference", argc,
                         argv);
}

}  // namespace qa::cli
