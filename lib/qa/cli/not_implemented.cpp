#include <qa/cli/common.hpp>
#include <qa/cli/tools.hpp>

namespace qa::cli {

// The tools whose issues have not landed yet.

int qa_get(int argc, char** argv) {
  return not_implemented("qa-get", "Resolve commits and fetch stored outputs", argc, argv);
}

int qa_bitacc(int argc, char** argv) {
  return not_implemented("qa-bitacc", "Check that outputs are bit-identical to the reference's",
                         argc, argv);
}

int qa_report(int argc, char** argv) {
  return not_implemented("qa-report", "Compare a commit's results with its reference", argc,
                         argv);
}

}  // namespace qa::cli
