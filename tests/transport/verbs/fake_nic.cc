#include "tests/transport/verbs/fake_nic.h"

#include "core/error.h"

#include <cstring>

namespace lp::transport::verbs {
namespace {

constexpr const char* kFlushed = "Work Request Flushed Error";

class FakeRegistration final : public Registration {
 public:
  FakeRegistration(std::shared_ptr<FakeFabric> fabric, std::uint32_t key)
      : fabric_(std::move(fabric)), key_(key) {}
  ~FakeRegistration() override { fabric_->deregister(key_); }
  std::uint32_t lkey() const override { return key_; }
  std::uint32_t rkey() const override { return key_; }

 private:
  std::shared_ptr<FakeFabric> fabric_;
  std::uint32_t key_;
};

class FakeNic final : public Nic {
 public:
  FakeNic(std::shared_ptr<FakeFabric> fabric, int rank) : fabric_(std::move(fabric)), rank_(rank) {}

  void connect(Bootstrap& boot) override { boot.barrier(); }
  std::size_t max_inline() const override { return fabric_->options().max_inline; }
  std::size_t max_write() const override { return fabric_->options().max_write; }
  std::unique_ptr<Registration> register_memory(void* addr, std::size_t len) override {
    return std::make_unique<FakeRegistration>(fabric_, fabric_->register_memory(rank_, addr, len));
  }
  void post_send(int peer, std::uint64_t wr_id, const void* data, std::uint32_t len,
                 std::uint32_t lkey, bool inline_data) override {
    fabric_->post_send(rank_, peer, wr_id, data, len, lkey, inline_data);
  }
  void post_write(int peer, std::uint64_t wr_id, const void* data, std::uint32_t len,
                  std::uint32_t lkey, std::uint64_t remote, std::uint32_t rkey,
                  std::optional<std::uint32_t> imm) override {
    fabric_->post_write(rank_, peer, wr_id, data, len, lkey, remote, rkey, imm ? &*imm : nullptr);
  }
  void post_recv(int peer, std::uint64_t wr_id, void* buf, std::uint32_t len,
                 std::uint32_t lkey) override {
    fabric_->post_recv(rank_, peer, wr_id, buf, len, lkey);
  }
  std::size_t poll(std::span<Completion> out) override {
    return fabric_->poll(rank_, out.data(), out.size());
  }
  nlohmann::json details() const override { return {{"device", "fake"}}; }

 private:
  std::shared_ptr<FakeFabric> fabric_;
  int rank_;
};

Completion failure(std::uint64_t wr_id, const char* status, bool unreachable, bool flushed) {
  Completion c;
  c.wr_id = wr_id;
  c.error = status;
  c.peer_unreachable = unreachable;
  c.flushed = flushed;
  return c;
}

}  // namespace

std::shared_ptr<FakeFabric> FakeFabric::make(int size, FakeFabricOptions options) {
  return std::shared_ptr<FakeFabric>(new FakeFabric(size, options));
}

FakeFabric::FakeFabric(int size, FakeFabricOptions options)
    : size_(size),
      options_(options),
      recvs_(static_cast<std::size_t>(size), std::vector<std::deque<Recv>>(static_cast<std::size_t>(size))),
      broken_(static_cast<std::size_t>(size), std::vector<bool>(static_cast<std::size_t>(size))),
      cqs_(static_cast<std::size_t>(size)) {}

std::unique_ptr<Nic> FakeFabric::nic(int rank) {
  LP_ENFORCE(rank >= 0 && rank < size_, "fake NIC for rank {}", rank);
  return std::make_unique<FakeNic>(shared_from_this(), rank);
}

void FakeFabric::fail_next(int from, int to, const char* status, bool unreachable) {
  const std::lock_guard lock(mu_);
  faults_[{from, to}] = Fault{status, unreachable};
}

void FakeFabric::inject(int from, int to, const std::string& bytes) {
  const std::lock_guard lock(mu_);
  Recv r{};
  const auto len = static_cast<std::uint32_t>(bytes.size());
  if (!take_recv(from, to, 0, len, r)) return;
  std::memcpy(r.buf, bytes.data(), bytes.size());
  Completion c;
  c.wr_id = r.wr_id;
  c.byte_len = len;
  cqs_[to].push_back(c);
}

FakeCounters FakeFabric::counters() const {
  const std::lock_guard lock(mu_);
  return counters_;
}

std::uint32_t FakeFabric::register_memory(int rank, void* addr, std::size_t len) {
  const std::lock_guard lock(mu_);
  const auto begin = reinterpret_cast<std::uintptr_t>(addr);
  mrs_.push_back(Mr{rank, begin, begin + len, true});
  ++counters_.registrations;
  ++counters_.live_registrations;
  return static_cast<std::uint32_t>(mrs_.size());
}

void FakeFabric::deregister(std::uint32_t key) {
  const std::lock_guard lock(mu_);
  mrs_[key - 1].live = false;
  --counters_.live_registrations;
}

bool FakeFabric::covers(std::uint32_t key, int rank, const void* addr, std::size_t len) const {
  if (key == 0 || key > mrs_.size()) return false;
  const Mr& mr = mrs_[key - 1];
  const auto begin = reinterpret_cast<std::uintptr_t>(addr);
  return mr.live && mr.rank == rank && mr.begin <= begin && begin + len <= mr.end;
}

void FakeFabric::break_qp(int from, int to, std::uint64_t wr_id, const char* status,
                          bool unreachable) {
  broken_[from][to] = true;
  cqs_[from].push_back(failure(wr_id, status, unreachable, false));
  for (const Recv& r : recvs_[from][to]) cqs_[from].push_back(failure(r.wr_id, kFlushed, false, true));
  recvs_[from][to].clear();
}

bool FakeFabric::admit(int from, int to, std::uint64_t wr_id) {
  if (broken_[from][to]) {
    cqs_[from].push_back(failure(wr_id, kFlushed, false, true));
    return false;
  }
  if (auto it = faults_.find({from, to}); it != faults_.end()) {
    const Fault f = it->second;
    faults_.erase(it);
    break_qp(from, to, wr_id, f.status, f.unreachable);
    return false;
  }
  return true;
}

bool FakeFabric::take_recv(int from, int to, std::uint64_t wr_id, std::uint32_t len, Recv& out) {
  std::deque<Recv>& q = recvs_[to][from];
  if (q.empty()) {
    ++counters_.overruns;
    break_qp(from, to, wr_id, "RNR retry counter exceeded (fake: no receive posted)", true);
    return false;
  }
  out = q.front();
  q.pop_front();
  if (len > out.len) {
    break_qp(from, to, wr_id, "local length error (fake: message over the receive buffer)", false);
    return false;
  }
  return true;
}

void FakeFabric::post_send(int from, int to, std::uint64_t wr_id, const void* data,
                           std::uint32_t len, std::uint32_t lkey, bool inline_data) {
  const std::lock_guard lock(mu_);
  if (!admit(from, to, wr_id)) return;
  if (inline_data ? len > options_.max_inline : !covers(lkey, from, data, len)) {
    ++(inline_data ? counters_.inline_errors : counters_.key_errors);
    break_qp(from, to, wr_id, "local protection error (fake)", false);
    return;
  }
  Recv r{};
  if (!take_recv(from, to, wr_id, len, r)) return;
  std::memcpy(r.buf, data, len);
  Completion arrived;
  arrived.wr_id = r.wr_id;
  arrived.byte_len = len;
  cqs_[to].push_back(arrived);
  Completion sent;
  sent.wr_id = wr_id;
  cqs_[from].push_back(sent);
  ++counters_.sends;
}

void FakeFabric::post_write(int from, int to, std::uint64_t wr_id, const void* data,
                            std::uint32_t len, std::uint32_t lkey, std::uint64_t remote,
                            std::uint32_t rkey, const std::uint32_t* imm) {
  const std::lock_guard lock(mu_);
  if (!admit(from, to, wr_id)) return;
  if (len > options_.max_write || !covers(lkey, from, data, len) ||
      !covers(rkey, to, reinterpret_cast<const void*>(remote), len)) {
    ++counters_.key_errors;
    break_qp(from, to, wr_id, "remote access error (fake)", false);
    return;
  }
  Recv r{};
  if (imm != nullptr && !take_recv(from, to, wr_id, 0, r)) return;
  std::memcpy(reinterpret_cast<void*>(remote), data, len);
  if (imm != nullptr) {
    Completion arrived;
    arrived.wr_id = r.wr_id;
    arrived.byte_len = len;
    arrived.has_imm = true;
    arrived.imm = *imm;
    cqs_[to].push_back(arrived);
    ++counters_.writes_with_imm;
  }
  Completion sent;
  sent.wr_id = wr_id;
  cqs_[from].push_back(sent);
  ++counters_.writes;
}

void FakeFabric::post_recv(int rank, int peer, std::uint64_t wr_id, void* buf, std::uint32_t len,
                           std::uint32_t lkey) {
  const std::lock_guard lock(mu_);
  LP_ENFORCE(covers(lkey, rank, buf, len), "fake: a receive buffer outside its registration");
  if (broken_[rank][peer]) {
    cqs_[rank].push_back(failure(wr_id, kFlushed, false, true));
    return;
  }
  recvs_[rank][peer].push_back(Recv{wr_id, static_cast<char*>(buf), len});
}

std::size_t FakeFabric::poll(int rank, Completion* out, std::size_t max) {
  const std::lock_guard lock(mu_);
  std::deque<Completion>& cq = cqs_[rank];
  std::size_t n = 0;
  for (; n < max && !cq.empty(); ++n) {
    out[n] = cq.front();
    cq.pop_front();
  }
  return n;
}

}  // namespace lp::transport::verbs
