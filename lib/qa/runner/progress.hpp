#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>

namespace qa::runner {

// A one-line progress display on stderr (`[12/40] 1 failed, 00:31 elapsed, ~01:12 left`),
// redrawn in place, shown only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(std::size_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Count one finished run, `failed` or not, and redraw.
  void finished(bool failed);

 private:
  void draw();

  std::mutex m_mutex;
  bool m_enabled = false;
  std::size_t m_total = 0;
  std::size_t m_done = 0;
  std::size_t m_failed = 0;
  std::chrono::steady_clock::time_point m_start;
};

}  // namespace qa::runner
