#include "transport/verbs/reg_cache.h"

#include "core/error.h"

#include <unistd.h>

namespace lp::transport::verbs {
namespace {

std::uintptr_t page_size() {
  static const auto size = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

}  // namespace

RegistrationCache::Lease& RegistrationCache::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    reset();
    cache_ = other.cache_;
    it_ = other.it_;
    other.cache_ = nullptr;
  }
  return *this;
}

void RegistrationCache::Lease::reset() noexcept {
  if (cache_ != nullptr) cache_->release(it_);
  cache_ = nullptr;
}

RegistrationCache::RegistrationCache(Register reg, Limits limits)
    : register_(std::move(reg)), limits_(limits) {}

RegistrationCache::Lease RegistrationCache::acquire(const void* addr, std::size_t len) {
  LP_ENFORCE(len > 0, "registering an empty range");
  const auto begin = reinterpret_cast<std::uintptr_t>(addr);
  LP_ENFORCE_LE(len, UINTPTR_MAX - begin, "the range wraps around");
  const std::uintptr_t end = begin + len;
  for (Iter it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->valid && it->begin <= begin && end <= it->end) {
      entries_.splice(entries_.begin(), entries_, it);
      ++it->users;
      ++stats_.hits;
      return Lease(this, it);
    }
  }
  // Whole pages: a neighbouring buffer in the same pages, or the same buffer with a
  // different offset, then finds this registration.
  const std::uintptr_t page = page_size();
  const std::uintptr_t first = begin & ~(page - 1);
  const std::uintptr_t last = end > UINTPTR_MAX - (page - 1) ? end : (end + page - 1) & ~(page - 1);
  void* const start = reinterpret_cast<void*>(first);
  std::unique_ptr<Registration> reg;
  try {
    reg = register_(start, last - first);
  } catch (const Error&) {
    // Pinned memory may be what ran out: give back every unused registration, try once more.
    if (entries_.empty()) throw;
    evict_unused();
    reg = register_(start, last - first);
  }
  ++stats_.misses;
  entries_.push_front(Entry{first, last, std::move(reg), 1, true});
  bytes_ += last - first;
  trim();
  return Lease(this, entries_.begin());
}

void RegistrationCache::invalidate(const void* addr, std::size_t len) {
  const auto begin = reinterpret_cast<std::uintptr_t>(addr);
  const std::uintptr_t end = len > UINTPTR_MAX - begin ? UINTPTR_MAX : begin + len;
  for (Iter it = entries_.begin(); it != entries_.end();) {
    const Iter next = std::next(it);
    if (it->begin < end && begin < it->end) {
      it->valid = false;
      if (it->users == 0) erase(it);
    }
    it = next;
  }
}

RegistrationCache::Stats RegistrationCache::stats() const {
  Stats s = stats_;
  s.entries = entries_.size();
  s.bytes = bytes_;
  return s;
}

void RegistrationCache::release(Iter it) noexcept {
  --it->users;
  if (it->users == 0 && !it->valid) {
    erase(it);
  } else if (it->users == 0) {
    trim();
  }
}

void RegistrationCache::erase(Iter it) noexcept {
  bytes_ -= it->end - it->begin;
  entries_.erase(it);
}

bool RegistrationCache::over_limits() const {
  return entries_.size() > limits_.max_entries || bytes_ > limits_.max_bytes;
}

void RegistrationCache::trim() noexcept {
  auto it = entries_.end();
  while (over_limits() && it != entries_.begin()) {
    --it;
    if (it->users != 0) continue;
    bytes_ -= it->end - it->begin;
    it = entries_.erase(it);  // the entry after it; the loop steps back from there
    ++stats_.evictions;
  }
}

void RegistrationCache::evict_unused() noexcept {
  for (Iter it = entries_.begin(); it != entries_.end();) {
    if (it->users == 0) {
      bytes_ -= it->end - it->begin;
      it = entries_.erase(it);
      ++stats_.evictions;
    } else {
      ++it;
    }
  }
}

}  // namespace lp::transport::verbs
