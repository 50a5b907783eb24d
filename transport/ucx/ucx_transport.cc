// UCX (UCP) behind the Transport interface: one context with the TAG feature (and RMA where the
// caller puts: TransportOptions::one_sided), one single-threaded worker, an endpoint per peer made
// from worker addresses exchanged through the bootstrap. The timed path is ucp_*_nbx plus
// ucp_worker_progress: no allocation here beyond UCX's own request pool, and operations that
// complete at once never make a request.
// A request's completion callback writes into space reserved inside UCX's request (never into
// the caller's Request, which may be gone by then), so testing one is a load, not a call.
//
// Matching: the 64-bit UCP tag carries (user tag << 32 | source rank) and receives use a full
// mask, so a receive posted for one peer never takes another peer's message.
#include "core/error.h"
#include "transport/backends.h"
#include "transport/ucx/ucx_handles.h"
#include "transport/ucx/ucx_lanes.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace lp::transport {
namespace {

using ucx::check;
using Clock = std::chrono::steady_clock;

constexpr ucp_tag_t kFullMask = ~ucp_tag_t{0};

// Lives in the space UCX reserves in each of its requests (UCP_PARAM_FIELD_REQUEST_SIZE):
// zeroed when UCX makes the request, set by the completion callbacks, cleared again once the
// caller has seen it complete. While the transport holds a request it is linked into the
// transport's list of them, so closing can cancel what no peer will ever match.
struct Completion {
  bool done;
  bool received;  // a receive: `length` is what arrived
  ucs_status_t status;
  std::size_t length;
  Completion* prev;
  Completion* next;

  void clear() {
    done = false;
    received = false;
    status = UCS_OK;
    length = 0;
  }
  void link_after(Completion& head) {
    prev = &head;
    next = head.next;
    head.next->prev = this;
    head.next = this;
  }
  void unlink() {
    prev->next = next;
    next->prev = prev;
  }
};

void init_completion(void* request) { *static_cast<Completion*>(request) = Completion{}; }

void send_done(void* request, ucs_status_t status, void* /*user_data*/) {
  auto* c = static_cast<Completion*>(request);
  c->status = status;
  c->done = true;
}

void recv_done(void* request, ucs_status_t status, const ucp_tag_recv_info_t* info,
               void* /*user_data*/) {
  auto* c = static_cast<Completion*>(request);
  c->status = status;
  c->length = status == UCS_OK ? info->length : 0;
  c->received = true;
  c->done = true;
}

// For operations whose completion only needs to be known: sends, flushes.
ucp_request_param_t send_param() {
  ucp_request_param_t param{};
  param.op_attr_mask = UCP_OP_ATTR_FIELD_CALLBACK;
  param.cb.send = send_done;
  return param;
}

// No immediate completion for receives: UCX 1.13 completes a receive that matches an
// unexpected message in place without filling recv_info, so the length would be lost. The
// request comes from UCX's pool; its callback records the length.
ucp_request_param_t recv_param() {
  ucp_request_param_t param{};
  param.op_attr_mask = UCP_OP_ATTR_FLAG_NO_IMM_CMPL | UCP_OP_ATTR_FIELD_CALLBACK;
  param.cb.recv = recv_done;
  return param;
}
// Closing endpoints waits at most this long for in-flight data to leave.
constexpr std::chrono::seconds kCloseGrace{5};

ucp_tag_t make_tag(Tag tag, int source) {
  return (static_cast<ucp_tag_t>(tag) << 32) | static_cast<std::uint32_t>(source);
}

// A packed region: base address and size, then UCX's rkey bytes.
struct PackedHeader {
  std::uint64_t address;
  std::uint64_t size;
};

class UcxRegion final : public MemoryRegion {
 public:
  UcxRegion(ucp_context_h context, void* data, std::size_t size)
      : MemoryRegion(data, size), context_(context) {
    ucp_mem_map_params_t params{};
    params.field_mask = UCP_MEM_MAP_PARAM_FIELD_ADDRESS | UCP_MEM_MAP_PARAM_FIELD_LENGTH;
    params.address = data;
    params.length = size;
    check(ucp_mem_map(context, &params, &memh_), "ucp_mem_map");
  }
  // Memory UCX allocates (UCP_MEM_MAP_ALLOCATE), which it can share with peers on this host.
  UcxRegion(ucp_context_h context, ucp_mem_h memh, void* data, std::size_t size)
      : MemoryRegion(data, size), context_(context), memh_(memh) {}

  static std::unique_ptr<UcxRegion> allocate(ucp_context_h context, std::size_t size) {
    ucp_mem_map_params_t params{};
    params.field_mask = UCP_MEM_MAP_PARAM_FIELD_ADDRESS | UCP_MEM_MAP_PARAM_FIELD_LENGTH |
                        UCP_MEM_MAP_PARAM_FIELD_FLAGS;
    params.address = nullptr;
    params.length = size == 0 ? 1 : size;
    params.flags = UCP_MEM_MAP_ALLOCATE;
    ucp_mem_h memh = nullptr;
    check(ucp_mem_map(context, &params, &memh), "ucp_mem_map (allocate)");
    ucp_mem_attr_t attr{};
    attr.field_mask = UCP_MEM_ATTR_FIELD_ADDRESS;
    if (const ucs_status_t s = ucp_mem_query(memh, &attr); s != UCS_OK) {
      ucp_mem_unmap(context, memh);
      check(s, "ucp_mem_query");
    }
    std::memset(attr.address, 0, params.length);  // zero, and no page faults later
    return std::make_unique<UcxRegion>(context, memh, attr.address, size);
  }
  ~UcxRegion() override {
    if (const ucs_status_t s = ucp_mem_unmap(context_, memh_); s != UCS_OK) {
      log_destructor_error("ucp_mem_unmap", ucs_status_string(s));
    }
  }

  std::string pack() const override {
    void* rkey = nullptr;
    std::size_t rkey_size = 0;
    check(ucp_rkey_pack(context_, memh_, &rkey, &rkey_size), "ucp_rkey_pack");
    const ucx::RkeyBufferPtr owned(rkey);
    const PackedHeader header{reinterpret_cast<std::uintptr_t>(data()), size()};
    std::string out(sizeof header + rkey_size, '\0');
    std::memcpy(out.data(), &header, sizeof header);
    std::memcpy(out.data() + sizeof header, rkey, rkey_size);
    return out;
  }

 private:
  ucp_context_h context_;
  ucp_mem_h memh_ = nullptr;
};

class UcxRemote final : public RemoteRegion {
 public:
  UcxRemote(int peer, std::size_t size, std::uint64_t address, ucx::RkeyPtr rkey)
      : RemoteRegion(peer, size), address_(address), rkey_(std::move(rkey)) {
    // Shared-memory transports can map the peer's region (UCP_MEM_MAP_ALLOCATE memory).
    void* local = nullptr;
    if (ucp_rkey_ptr(rkey_.get(), address_, &local) == UCS_OK) mapped_ = local;
  }
  std::uint64_t address() const { return address_; }
  ucp_rkey_h rkey() const { return rkey_.get(); }
  void* mapped() const override { return mapped_; }

 private:
  std::uint64_t address_;
  ucx::RkeyPtr rkey_;
  void* mapped_ = nullptr;
};

class UcxTransport final : public Transport {
 public:
  UcxTransport(Bootstrap& boot, const TransportOptions& options)
      : Transport(boot, options,
                  (options.one_sided ? static_cast<unsigned>(Capability::kPut) : 0u) |
                      static_cast<unsigned>(Capability::kRegistration)) {
    ucp_config_t* raw_config = nullptr;
    check(ucp_config_read(nullptr, nullptr, &raw_config), "ucp_config_read");
    const ucx::ConfigPtr config(raw_config);

    ucp_params_t params{};
    params.field_mask = UCP_PARAM_FIELD_FEATURES | UCP_PARAM_FIELD_ESTIMATED_NUM_EPS |
                        UCP_PARAM_FIELD_MT_WORKERS_SHARED | UCP_PARAM_FIELD_REQUEST_SIZE |
                        UCP_PARAM_FIELD_REQUEST_INIT;
    params.features = UCP_FEATURE_TAG | (options.one_sided ? UCP_FEATURE_RMA : 0);
    params.estimated_num_eps = static_cast<std::size_t>(size());
    params.mt_workers_shared = 0;
    params.request_size = sizeof(Completion);
    params.request_init = init_completion;
    ucp_context_h context = nullptr;
    check(ucp_init(&params, config.get(), &context), "ucp_init");
    context_.reset(context);

    ucp_worker_params_t wparams{};
    wparams.field_mask = UCP_WORKER_PARAM_FIELD_THREAD_MODE;
    wparams.thread_mode = UCS_THREAD_MODE_SINGLE;
    ucp_worker_h worker = nullptr;
    check(ucp_worker_create(context_.get(), &wparams, &worker), "ucp_worker_create");
    worker_.reset(worker);

    std::vector<std::string> addresses;
    {
      const ucx::WorkerAddress mine(worker_.get());
      addresses = boot.allgather(mine.bytes());
    }
    eps_.assign(static_cast<std::size_t>(size()), nullptr);
    try {
      for (int p = 0; p < size(); ++p) {
        ucp_ep_params_t ep_params{};
        ep_params.field_mask = UCP_EP_PARAM_FIELD_REMOTE_ADDRESS;
        ep_params.address = reinterpret_cast<const ucp_address_t*>(addresses[p].data());
        check(ucp_ep_create(worker_.get(), &ep_params, &eps_[p]), "ucp_ep_create");
      }
      connect_all();
    } catch (...) {
      close_endpoints();
      throw;
    }
    describe();
  }

  ~UcxTransport() override {
    release_completed();
    release_held();
    close_endpoints();
  }

  std::string name() const override { return "ucx"; }
  nlohmann::json details() const override { return details_; }

  void progress() override { ucp_worker_progress(worker_.get()); }

  std::unique_ptr<MemoryRegion> register_memory(void* data, std::size_t size) override {
    return std::make_unique<UcxRegion>(context_.get(), data, size);
  }

  std::unique_ptr<MemoryRegion> allocate_memory(std::size_t size) override {
    return UcxRegion::allocate(context_.get(), size);
  }

  std::unique_ptr<RemoteRegion> attach_remote(int peer, const std::string& packed) override {
    PackedHeader header{};
    if (packed.size() <= sizeof header) {
      throw Error(fmt::format("rank {}: the region key from rank {} is {} bytes, too short",
                              rank(), peer, packed.size()));
    }
    std::memcpy(&header, packed.data(), sizeof header);
    ucp_rkey_h rkey = nullptr;
    check(ucp_ep_rkey_unpack(eps_[peer], packed.data() + sizeof header, &rkey),
          "ucp_ep_rkey_unpack");
    return std::make_unique<UcxRemote>(peer, header.size, header.address, ucx::RkeyPtr(rkey));
  }

 protected:
  void do_isend(int peer, Tag tag, const void* buf, std::size_t len, Request& req) override {
    req.bytes = len;
    keep(ucp_tag_send_nbx(eps_[peer], buf, len, make_tag(tag, rank()), &send_param_), req,
         "ucp_tag_send_nbx");
    release_completed();
  }

  void do_irecv(int peer, Tag tag, void* buf, std::size_t capacity, Request& req) override {
    keep(ucp_tag_recv_nbx(worker_.get(), buf, capacity, make_tag(tag, peer), kFullMask,
                          &recv_param_),
         req, "ucp_tag_recv_nbx");
    LP_ENFORCE(!req.done, "ucp_tag_recv_nbx completed without reporting the length");
    release_completed();
  }

  bool do_test(Request& req) override { return do_poll(req, 1); }

  bool do_poll(Request& req, int polls) override {
    auto* c = static_cast<Completion*>(req.handle);
    for (int i = 0; i < polls && !c->done; ++i) ucp_worker_progress(worker_.get());
    if (!c->done) return false;
    const ucs_status_t status = c->status;
    if (c->received) req.bytes = c->length;
    c->clear();
    if (completed_count_ == completed_.size()) release_completed();
    completed_[completed_count_++] = req.handle;
    req.handle = nullptr;
    if (status != UCS_OK) fail(status, req, "completing a request");
    return true;
  }

  // A completed request goes back to UCX once the next send or receive is posted rather than
  // when its completion is seen, which keeps the free out of the turnaround from an arrival to
  // the reply it triggers.
  void release_completed() noexcept {
    for (std::size_t i = 0; i < completed_count_; ++i) {
      static_cast<Completion*>(completed_[i])->unlink();
      ucp_request_free(completed_[i]);
    }
    completed_count_ = 0;
  }

  // At close: what the caller left in flight (a receive a vanished peer never matched, say)
  // goes back to UCX, receives cancelled first, so the worker is destroyed with its pool whole.
  void release_held() noexcept {
    for (Completion* c = held_.next; c != &held_; c = c->next) {
      if (!c->done) ucp_request_cancel(worker_.get(), c);
    }
    while (held_.next != &held_) {
      Completion* c = held_.next;
      c->unlink();
      ucp_request_free(c);
    }
  }

  // The put, then a flush of the endpoint: the request completes when the data is visible
  // at the target, so a message sent afterwards may announce it.
  void do_put(const MemoryRegion& local, std::size_t local_offset, RemoteRegion& remote,
              std::size_t remote_offset, std::size_t len, Request& req) override {
    auto& target = static_cast<UcxRemote&>(remote);
    ucp_ep_h ep = eps_[target.peer()];
    ucp_request_param_t param;
    param.op_attr_mask = 0;
    const ucs_status_ptr_t put =
        ucp_put_nbx(ep, static_cast<const char*>(local.data()) + local_offset, len,
                    target.address() + remote_offset, target.rkey(), &param);
    if (UCS_PTR_IS_ERR(put)) fail(UCS_PTR_STATUS(put), req, "ucp_put_nbx");
    if (put != nullptr) ucp_request_free(put);  // the flush below covers its completion
    req.bytes = len;
    keep(ucp_ep_flush_nbx(ep, &send_param_), req, "ucp_ep_flush_nbx");
  }

 private:
  // Completes `req` at once (nullptr), keeps UCX's request, or throws.
  void keep(ucs_status_ptr_t ptr, Request& req, const char* call) {
    if (ptr == nullptr) {
      req.done = true;
    } else if (UCS_PTR_IS_ERR(ptr)) {
      fail(UCS_PTR_STATUS(ptr), req, call);
    } else {
      static_cast<Completion*>(ptr)->link_after(held_);
      req.handle = ptr;
    }
  }

  [[noreturn]] void fail(ucs_status_t status, const Request& req, const char* what) {
    if (status == UCS_ERR_MESSAGE_TRUNCATED) {
      throw Error(fmt::format("rank {}: a message from rank {} is longer than the receive buffer",
                              rank(), req.peer));
    }
    throw Error(fmt::format("rank {}: {} with rank {} failed over ucx: {}", rank(), what,
                            req.peer, ucs_status_string(status)));
  }

  // Flushes every endpoint so wire-up is finished before the first timed message (and so
  // details() reports the lanes UCX settled on), then synchronizes through the transport,
  // which keeps progressing for peers still connecting to us.
  void connect_all() {
    std::vector<Request> flushes(eps_.size());
    for (std::size_t p = 0; p < eps_.size(); ++p) {
      flushes[p].peer = static_cast<int>(p);
      flushes[p].done = false;
      keep(ucp_ep_flush_nbx(eps_[p], &send_param_), flushes[p], "ucp_ep_flush_nbx");
    }
    wait_all(flushes.data(), flushes.size());
    barrier();
  }

  void describe() {
    nlohmann::json peers = nlohmann::json::array();
    std::vector<std::string> all;
    for (std::size_t p = 0; p < eps_.size(); ++p) {
      const std::vector<std::string> lanes = ucx::endpoint_lanes(eps_[p]);
      for (const std::string& l : lanes) {
        if (std::find(all.begin(), all.end(), l) == all.end()) all.push_back(l);
      }
      peers.push_back({{"rank", p}, {"lanes", lanes}});
    }
    const char* tls = std::getenv("UCX_TLS");
    details_ = {{"ucx_version", ucp_get_version_string()},
                {"UCX_TLS", tls ? tls : "(default)"},
                {"transports", all},
                {"peers", peers}};
  }

  // Closes every endpoint, letting in-flight data leave (bounded wait).
  void close_endpoints() noexcept {
    ucp_request_param_t param;
    param.op_attr_mask = 0;
    std::vector<ucs_status_ptr_t> closing;
    for (ucp_ep_h& ep : eps_) {
      if (ep == nullptr) continue;
      const ucs_status_ptr_t r = ucp_ep_close_nbx(ep, &param);
      if (UCS_PTR_IS_PTR(r)) closing.push_back(r);
      ep = nullptr;
    }
    const auto deadline = Clock::now() + kCloseGrace;
    for (ucs_status_ptr_t r : closing) {
      while (ucp_request_check_status(r) == UCS_INPROGRESS && Clock::now() < deadline) {
        ucp_worker_progress(worker_.get());
      }
      if (ucp_request_check_status(r) == UCS_INPROGRESS) {
        log_destructor_error("ucx endpoint close", "peer did not acknowledge in time");
      }
      ucp_request_free(r);
    }
  }

  // Declared in destruction order's reverse: the worker goes before the context.
  ucx::ContextPtr context_;
  ucx::WorkerPtr worker_;
  std::vector<ucp_ep_h> eps_;
  Completion held_{false, false, UCS_OK, 0, &held_, &held_};  // head of the requests held
  std::array<void*, 16> completed_{};  // completed requests not yet freed
  std::size_t completed_count_ = 0;
  const ucp_request_param_t send_param_ = send_param();
  const ucp_request_param_t recv_param_ = recv_param();
  nlohmann::json details_;
};

}  // namespace

std::unique_ptr<Transport> make_ucx_transport(Bootstrap& boot, const TransportOptions& options) {
  return std::make_unique<UcxTransport>(boot, options);
}

}  // namespace lp::transport
