// The registration cache: one registration per buffer range, reused; bounded and least
// recently used first out; never deregistering what an operation holds; invalidated when
// the user's region goes.
#include "core/error.h"
#include "transport/verbs/reg_cache.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace lp::transport::verbs {
namespace {

// Registers by counting; keys are the registration's number.
struct Registry {
  struct Made {
    std::uintptr_t begin;
    std::size_t len;
    bool live = true;
  };
  std::vector<Made> made;
  int fail_next = 0;  // this many registrations fail first

  class Reg final : public Registration {
   public:
    Reg(Registry& r, std::uint32_t key) : registry_(r), key_(key) {}
    ~Reg() override { registry_.made[key_ - 1].live = false; }
    std::uint32_t lkey() const override { return key_; }
    std::uint32_t rkey() const override { return key_ + 1000; }

   private:
    Registry& registry_;
    std::uint32_t key_;
  };

  RegistrationCache::Register function() {
    return [this](void* addr, std::size_t len) -> std::unique_ptr<Registration> {
      if (fail_next > 0) {
        --fail_next;
        throw Error("ibv_reg_mr failed: Cannot allocate memory");
      }
      made.push_back({reinterpret_cast<std::uintptr_t>(addr), len});
      return std::make_unique<Reg>(*this, static_cast<std::uint32_t>(made.size()));
    };
  }
  int live() const {
    int n = 0;
    for (const Made& m : made) n += m.live ? 1 : 0;
    return n;
  }
};

const std::size_t kPage = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));

// Page-aligned memory, so tests know where page boundaries are.
struct Pages {
  explicit Pages(std::size_t n) : bytes(n * kPage + kPage) {
    const auto at = reinterpret_cast<std::uintptr_t>(bytes.data());
    base = reinterpret_cast<char*>((at + kPage - 1) & ~(kPage - 1));
  }
  char* page(std::size_t i) { return base + i * kPage; }
  std::vector<char> bytes;
  char* base;
};

TEST(VerbsRegistrationCache, RegistersEachRangeOnceInWholePages) {
  Registry registry;
  RegistrationCache cache(registry.function(), {});
  Pages mem(4);
  {
    const auto a = cache.acquire(mem.page(0) + 100, 2 * kPage);
    ASSERT_EQ(registry.made.size(), 1u);
    EXPECT_EQ(registry.made[0].begin, reinterpret_cast<std::uintptr_t>(mem.page(0)));
    EXPECT_EQ(registry.made[0].len, 3 * kPage) << "rounded out to the pages it touches";
    const auto b = cache.acquire(mem.page(1), kPage);  // inside the first: a hit
    EXPECT_EQ(b.lkey(), a.lkey());
    EXPECT_EQ(b.rkey(), a.rkey());
  }
  const auto c = cache.acquire(mem.page(0) + 100, 2 * kPage);  // released, still cached
  EXPECT_EQ(registry.made.size(), 1u);
  const auto stats = cache.stats();
  EXPECT_EQ(stats.hits, 2u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.bytes, 3 * kPage);
}

TEST(VerbsRegistrationCache, EvictsTheLeastRecentlyUsedBeyondTheEntryLimit) {
  Registry registry;
  RegistrationCache cache(registry.function(), {2, std::size_t{1} << 40});
  Pages mem(6);
  cache.acquire(mem.page(0), 1);
  cache.acquire(mem.page(2), 1);
  cache.acquire(mem.page(0), 1);  // page 0 is now the most recently used
  cache.acquire(mem.page(4), 1);  // evicts page 2
  EXPECT_EQ(registry.live(), 2);
  EXPECT_TRUE(registry.made[0].live);
  EXPECT_FALSE(registry.made[1].live);
  EXPECT_TRUE(registry.made[2].live);
  EXPECT_EQ(cache.stats().evictions, 1u);
}

TEST(VerbsRegistrationCache, EvictsBeyondTheByteLimit) {
  Registry registry;
  RegistrationCache cache(registry.function(), {100, 3 * kPage});
  Pages mem(6);
  cache.acquire(mem.page(0), 2 * kPage);
  cache.acquire(mem.page(3), 2 * kPage);
  EXPECT_EQ(registry.live(), 1);
  EXPECT_LE(cache.stats().bytes, 3 * kPage);
}

TEST(VerbsRegistrationCache, NeverDeregistersWhatIsInUse) {
  Registry registry;
  RegistrationCache cache(registry.function(), {1, std::size_t{1} << 40});
  Pages mem(4);
  const auto held = cache.acquire(mem.page(0), 1);
  {
    const auto other = cache.acquire(mem.page(2), 1);  // over the limit: both in use
    EXPECT_EQ(registry.live(), 2);
  }
  // Released: the unused one goes, the held one stays.
  EXPECT_EQ(registry.live(), 1);
  EXPECT_TRUE(registry.made[0].live);
}

TEST(VerbsRegistrationCache, InvalidateDropsOverlappingRegistrationsWhenReleased) {
  Registry registry;
  RegistrationCache cache(registry.function(), {});
  Pages mem(6);
  cache.acquire(mem.page(0), 1);
  auto held = cache.acquire(mem.page(2), kPage);
  cache.acquire(mem.page(4), 1);
  cache.invalidate(mem.page(0) + 10, 3 * kPage);  // overlaps pages 0..3
  EXPECT_FALSE(registry.made[0].live);
  EXPECT_TRUE(registry.made[1].live) << "in use: deregistered on release";
  EXPECT_TRUE(registry.made[2].live);
  // An invalidated registration is not found again, even while still held.
  const auto fresh = cache.acquire(mem.page(2), kPage);
  EXPECT_EQ(registry.made.size(), 4u);
  EXPECT_NE(fresh.lkey(), held.lkey());
  held.reset();
  EXPECT_FALSE(registry.made[1].live);
  EXPECT_EQ(registry.live(), 2);
}

TEST(VerbsRegistrationCache, AFailedRegistrationGivesBackUnusedOnesAndRetriesOnce) {
  Registry registry;
  RegistrationCache cache(registry.function(), {});
  Pages mem(4);
  cache.acquire(mem.page(0), 1);
  registry.fail_next = 1;
  const auto b = cache.acquire(mem.page(2), 1);
  EXPECT_FALSE(registry.made[0].live) << "given back to make room";
  EXPECT_TRUE(registry.made[1].live);
  registry.fail_next = 2;
  EXPECT_THROW(cache.acquire(mem.page(3), 1), Error);
  EXPECT_TRUE(registry.made[1].live) << "in use, kept";
}

}  // namespace
}  // namespace lp::transport::verbs
