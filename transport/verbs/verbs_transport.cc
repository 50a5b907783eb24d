#include "transport/verbs/verbs_transport.h"

#include "core/error.h"
#include "transport/verbs/wire.h"

namespace lp::transport::verbs {
namespace {

// Shutting down waits at most this long for posted sends to leave.
constexpr std::chrono::seconds kCloseGrace{5};

// register_memory's region: a registration held from the cache (so rendezvous on the same
// memory reuse it) and dropped from the cache with the region, whose memory may go next.
class VerbsRegion final : public MemoryRegion {
 public:
  VerbsRegion(RegistrationCache& cache, void* data, std::size_t size)
      : MemoryRegion(data, size), cache_(cache) {
    if (size > 0) lease_ = cache.acquire(data, size);
  }
  ~VerbsRegion() override {
    lease_.reset();
    cache_.invalidate(data(), size());
  }
  std::uint32_t lkey() const { return lease_ ? lease_.lkey() : 0; }
  std::string pack() const override {
    return pack_region(RegionKey{reinterpret_cast<std::uintptr_t>(data()), size(),
                                 lease_ ? lease_.rkey() : 0});
  }

 private:
  RegistrationCache& cache_;
  RegistrationCache::Lease lease_;
};

class VerbsRemote final : public RemoteRegion {
 public:
  VerbsRemote(int peer, const RegionKey& key) : RemoteRegion(peer, key.size), key_(key) {}
  const RegionKey& key() const { return key_; }

 private:
  RegionKey key_;
};

class VerbsTransport final : public Transport {
 public:
  VerbsTransport(Bootstrap& boot, const TransportOptions& options, std::unique_ptr<Nic> nic,
                 const EngineConfig& config)
      : Transport(boot, options,
                  static_cast<unsigned>(Capability::kPut) |
                      static_cast<unsigned>(Capability::kRegistration)),
        nic_(std::move(nic)),
        engine_(*nic_, rank(), size(), config) {
    nic_->connect(boot);
    details_ = nic_->details();
    details_.update(engine_.details());
  }

  ~VerbsTransport() override {
    if (!engine_.drain(kCloseGrace)) {
      log_destructor_error("verbs transport", "sends were still in flight at shutdown");
    }
  }

  std::string name() const override { return "verbs"; }
  nlohmann::json details() const override { return details_; }
  void progress() override { engine_.progress(); }

  std::unique_ptr<MemoryRegion> register_memory(void* data, std::size_t size) override {
    return std::make_unique<VerbsRegion>(engine_.cache(), data, size);
  }

  std::unique_ptr<RemoteRegion> attach_remote(int peer, const std::string& packed) override {
    return std::make_unique<VerbsRemote>(peer, unpack_region(packed, rank(), peer));
  }

 protected:
  void do_isend(int peer, Tag tag, const void* buf, std::size_t len, Request& req) override {
    engine_.isend(peer, tag, buf, len, req);
  }
  void do_irecv(int peer, Tag tag, void* buf, std::size_t capacity, Request& req) override {
    engine_.irecv(peer, tag, buf, capacity, req);
  }
  bool do_test(Request& req) override { return engine_.test(req); }
  void do_put(const MemoryRegion& local, std::size_t local_offset, RemoteRegion& remote,
              std::size_t remote_offset, std::size_t len, Request& req) override {
    const auto& source = static_cast<const VerbsRegion&>(local);
    const RegionKey& target = static_cast<VerbsRemote&>(remote).key();
    engine_.put(remote.peer(), static_cast<const char*>(local.data()) + local_offset,
                source.lkey(), target.address + remote_offset, target.rkey, len, req);
  }

 private:
  std::unique_ptr<Nic> nic_;  // outlives the engine, which holds its registrations
  Engine engine_;
  nlohmann::json details_;
};

}  // namespace

std::unique_ptr<Transport> make_verbs_transport(Bootstrap& boot, const TransportOptions& options,
                                                std::unique_ptr<Nic> nic,
                                                const EngineConfig& config) {
  return std::make_unique<VerbsTransport>(boot, options, std::move(nic), config);
}

}  // namespace lp::transport::verbs
