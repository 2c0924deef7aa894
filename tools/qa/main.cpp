#include <qa/cli/tools.hpp>
#include <qa/http/register.hpp>
#include <qa/optimize/batch_search.hpp>

int main(int argc, char** argv) {
  qa::http::register_schemes();
  qa::optimize::register_optimization();
  return qa::cli::qa_compat(argc, argv);
}
