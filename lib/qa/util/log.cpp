#include <qa/util/log.hpp>

#include <cstdio>
#include <mutex>

namespace qa::util::log {

namespace {

struct State {
  std::string program = "qa";
  Level level = Level::info;
  std::mutex mutex;
};

State& state() {
  static State s;
  return s;
}

}  // namespace

void configure(std::string_view program_name, Level level) {
  state().program = std::string(program_name);
  state().level = level;
}

const std::string& program() {
  return state().program;
}

bool enabled(Level level) {
  return level >= state().level;
}

void write(Level level, std::string_view message) {
  std::string line = state().program;
  switch (level) {
    case Level::debug:
      line += ": debug: ";
      break;
    case Level::warning:
      line += ": warning: ";
      break;
    case Level::info:
      line += ": ";
      break;
  }
  line += message;
  line += '\n';
  const std::lock_guard lock(state().mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace qa::util::log
