#include <qa/util/parallel.hpp>

#include <algorithm>
#include <thread>
#include <vector>

namespace qa::util {

void parallel_for(std::size_t count, const std::function<void(std::size_t, std::size_t)>& body,
                  std::size_t threads, std::size_t min_chunk) {
  if (threads == 0) {
    threads = std::max(1U, std::thread::hardware_concurrency());
  }
  threads = std::min(threads, std::max<std::size_t>(1, count / std::max<std::size_t>(1, min_chunk)));
  if (threads <= 1) {
    if (count > 0) {
      body(0, count);
    }
    return;
  }
  const std::size_t chunk = (count + threads - 1) / threads;
  std::vector<std::jthread> workers;
  for (std::size_t begin = chunk; begin < count; begin += chunk) {
    workers.emplace_back([&body, begin, end = std::min(count, begin + chunk)] { body(begin, end); });
  }
  body(0, std::min(count, chunk));
}

}  // namespace qa::util
