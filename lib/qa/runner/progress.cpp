#include <qa/runner/progress.hpp>

#include <unistd.h>

#include <fmt/core.h>

#include <cstdio>

namespace qa::runner {

namespace {

std::string clock_text(long long seconds) {
  return seconds >= 3600 ? fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60,
                                       seconds % 60)
                         : fmt::format("{:02}:{:02}", seconds / 60, seconds % 60);
}

}  // namespace

Progress::Progress(std::size_t total)
    : m_enabled(::isatty(STDERR_FILENO) == 1 && total > 0),
      m_total(total),
      m_start(std::chrono::steady_clock::now()) {
  draw();
}

Progress::~Progress() {
  if (m_enabled) {
    std::fputs("\n", stderr);
  }
}

void Progress::finished(bool failed) {
  const std::lock_guard lock(m_mutex);
  ++m_done;
  m_failed += failed ? 1 : 0;
  draw();
}

void Progress::draw() {
  if (!m_enabled) {
    return;
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::steady_clock::now() - m_start)
                           .count();
  std::string line = fmt::format("\r[{}/{}] {} failed, {} elapsed", m_done, m_total, m_failed,
                                 clock_text(elapsed));
  if (m_done > 0 && m_done < m_total) {
    const long long left = elapsed * static_cast<long long>(m_total - m_done) /
                           static_cast<long long>(m_done);
    line += fmt::format(", ~{} left", clock_text(left));
  }
  line += "\033[K";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace qa::runner
