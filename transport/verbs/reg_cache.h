// Registering memory with the NIC costs tens of microseconds per megabyte, so each buffer
// range a rendezvous uses is registered once and kept: a lookup finds a registration that
// covers the range (most recently used first), else the page-aligned range is registered.
// Bounded in entries and bytes, least recently used first out; a registration in use by an
// operation (held by a Lease) is never deregistered under it.
//
// invalidate() drops every registration overlapping a range: the transport calls it when the
// user deregisters a region, whose memory may be freed next. (Memory freed without that is
// not noticed: a buffer handed to the transport for large messages must stay allocated while
// the transport lives, or be covered by a region that is destroyed first.)
#pragma once

#include "transport/verbs/nic.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>

namespace lp::transport::verbs {

class RegistrationCache {
 public:
  using Register = std::function<std::unique_ptr<Registration>(void* addr, std::size_t len)>;
  struct Limits {
    std::size_t max_entries = 256;
    std::size_t max_bytes = std::size_t{16} << 30;
  };
  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictions = 0;
    std::size_t entries = 0;
    std::size_t bytes = 0;
  };

 private:
  struct Entry {
    std::uintptr_t begin;
    std::uintptr_t end;
    std::unique_ptr<Registration> reg;
    unsigned users = 0;
    bool valid = true;
  };
  using Iter = std::list<Entry>::iterator;

 public:
  // A registration held for one use; released when destroyed.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept : cache_(other.cache_), it_(other.it_) { other.cache_ = nullptr; }
    Lease& operator=(Lease&& other) noexcept;
    ~Lease() { reset(); }
    void reset() noexcept;
    explicit operator bool() const { return cache_ != nullptr; }
    std::uint32_t lkey() const { return it_->reg->lkey(); }
    std::uint32_t rkey() const { return it_->reg->rkey(); }

   private:
    friend class RegistrationCache;
    Lease(RegistrationCache* cache, Iter it) : cache_(cache), it_(it) {}
    RegistrationCache* cache_ = nullptr;
    Iter it_{};
  };

  RegistrationCache(Register reg, Limits limits);
  RegistrationCache(const RegistrationCache&) = delete;
  RegistrationCache& operator=(const RegistrationCache&) = delete;

  // A registration covering [addr, addr + len), len > 0. Throws what registering throws.
  Lease acquire(const void* addr, std::size_t len);
  // Drops every registration that overlaps [addr, addr + len); those in use go when released.
  void invalidate(const void* addr, std::size_t len);

  Stats stats() const;

 private:
  void release(Iter it) noexcept;
  void erase(Iter it) noexcept;
  // Deregisters unused entries, oldest first, until within the limits (or none is unused).
  void trim() noexcept;
  bool over_limits() const;
  void evict_unused() noexcept;

  Register register_;
  Limits limits_;
  std::list<Entry> entries_;  // most recently used first
  std::size_t bytes_ = 0;
  Stats stats_;
};

}  // namespace lp::transport::verbs
