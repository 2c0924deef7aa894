#include <qa/cli/tools.hpp>

int main(int argc, char** argv) {
  return qa::cli::qa_bitacc(argc, argv);
}
