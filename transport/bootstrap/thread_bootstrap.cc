#include "transport/bootstrap.h"

#include <condition_variable>
#include <mutex>

namespace lp::transport {
namespace {

// State shared by the ranks of one process. A generation counter makes the rendezvous
// reusable: the last rank to arrive publishes the slots and wakes the others.
struct Shared {
  explicit Shared(int n) : size(n), slots(static_cast<std::size_t>(n)) {}
  const int size;
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0;
  unsigned long generation = 0;
  std::vector<std::string> slots;
  std::vector<std::string> published;
};

class ThreadBootstrap final : public Bootstrap {
 public:
  ThreadBootstrap(std::shared_ptr<Shared> shared, int rank) : shared_(std::move(shared)), rank_(rank) {}

  int rank() const override { return rank_; }
  int size() const override { return shared_->size; }
  std::string kind() const override { return "threads"; }

  std::vector<std::string> allgather(std::string_view mine) override {
    Shared& s = *shared_;
    std::unique_lock lock(s.mu);
    s.slots[static_cast<std::size_t>(rank_)] = std::string(mine);
    const unsigned long gen = s.generation;
    if (++s.arrived == s.size) {
      s.published = s.slots;
      s.arrived = 0;
      ++s.generation;
      s.cv.notify_all();
    } else {
      s.cv.wait(lock, [&] { return s.generation != gen; });
    }
    // `published` stays valid until the next generation completes, which needs this rank.
    return s.published;
  }

  void barrier() override { allgather({}); }

 private:
  std::shared_ptr<Shared> shared_;
  int rank_;
};

}  // namespace

std::vector<std::unique_ptr<Bootstrap>> make_thread_bootstraps(int size) {
  auto shared = std::make_shared<Shared>(size);
  std::vector<std::unique_ptr<Bootstrap>> out;
  for (int r = 0; r < size; ++r) out.push_back(std::make_unique<ThreadBootstrap>(shared, r));
  return out;
}

}  // namespace lp::transport
