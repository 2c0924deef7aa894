#include <qa/util/bury.hpp>

#include <deque>
#include <mutex>

namespace qa::util {

namespace {

constexpr std::size_t k_kept = 4;

}  // namespace

void bury(std::shared_ptr<void> object) {
  static std::mutex mutex;
  // Never destroyed, so that nothing it holds is freed at exit either.
  static auto* const graveyard = new std::deque<std::shared_ptr<void>>();
  std::shared_ptr<void> oldest;
  {
    const std::lock_guard lock(mutex);
    graveyard->push_back(std::move(object));
    if (graveyard->size() > k_kept) {
      oldest = std::move(graveyard->front());
      graveyard->pop_front();
    }
  }
  // `oldest`, if any, is freed here, outside the lock.
}

}  // namespace qa::util
