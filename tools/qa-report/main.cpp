#include <qa/cli/tools.hpp>
#include <qa/http/register.hpp>

int main(int argc, char** argv) {
  qa::http::register_schemes();
  qa::http::register_forges();
  return qa::cli::qa_report(argc, argv);
}
