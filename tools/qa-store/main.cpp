#include <qa/cli/tools.hpp>
#include <qa/http/register.hpp>

int main(int argc, char** argv) {
  qa::http::register_schemes();
  return qa::cli::qa_store(argc, argv);
}
