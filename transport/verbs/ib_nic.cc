#include "transport/verbs/ib_nic.h"

#include "core/error.h"
#include "transport/verbs/conn_info.h"
#include "transport/verbs/device_select.h"
#include "transport/verbs/ib_device.h"
#include "transport/verbs/verbs_transport.h"

#include <arpa/inet.h>

#include <algorithm>
#include <random>
#include <vector>

namespace lp::transport::verbs {
namespace {

// Inline sizes asked of the queue pair, largest first: providers refuse what they cannot do.
constexpr std::uint32_t kInlineWishes[] = {256, 64, 0};
// RC retries: 4.096 us * 2^14 (67 ms) per try, 7 tries: a dead peer is noticed in ~0.5 s.
constexpr std::uint8_t kAckTimeout = 14;
constexpr std::uint8_t kRetryCount = 7;
constexpr std::uint8_t kRnrRetryForever = 7;
constexpr std::uint8_t kMinRnrTimer = 12;  // 0.64 ms
constexpr std::uint8_t kHopLimit = 64;
constexpr int kAccess = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE;

class IbRegistration final : public Registration {
 public:
  explicit IbRegistration(ib::MrPtr mr) : mr_(std::move(mr)) {}
  std::uint32_t lkey() const override { return mr_->lkey; }
  std::uint32_t rkey() const override { return mr_->rkey; }

 private:
  ib::MrPtr mr_;
};

const char* link_layer_name(LinkLayer l) {
  return l == LinkLayer::kEthernet ? "Ethernet" : "InfiniBand";
}

class IbNic final : public Nic {
 public:
  IbNic(OpenedPort port, int rank, int size, const EngineConfig& config)
      : port_(std::move(port)), rank_(rank), size_(size), qps_(static_cast<std::size_t>(size)),
        psns_(static_cast<std::size_t>(size), 0) {
    pd_.reset(ibv_alloc_pd(port_.context.get()));
    if (!pd_) throw Error(fmt::format("ibv_alloc_pd on {} failed: {}", port_.device, std::strerror(errno)));
    const auto peers = static_cast<std::uint64_t>(std::max(size - 1, 1));
    send_cq_ = make_cq(peers * config.send_depth, "send");
    recv_cq_ = make_cq(peers * config.recv_depth, "receive");
    const auto max_wr = static_cast<std::uint32_t>(port_.device_attr.max_qp_wr);
    if (config.send_depth > max_wr || config.recv_depth > max_wr) {
      throw Error(fmt::format("{} allows {} work requests per queue, the verbs backend needs {}",
                              port_.device, max_wr, std::max(config.send_depth, config.recv_depth)));
    }
    std::random_device seed;
    std::mt19937 random(seed());
    max_inline_ = size > 1 ? kInlineWishes[0] : 0;
    for (int p = 0; p < size; ++p) {
      if (p == rank) continue;
      qps_[p] = make_qp(config);
      psns_[p] = random() & 0xffffff;
      to_init(qps_[p].get(), p);
    }
    wcs_.resize(64);
  }

  void connect(Bootstrap& boot) override {
    ConnInfo mine;
    mine.lid = port_.attr.lid;
    mine.link_layer = port_.link_layer;
    mine.mtu = static_cast<std::uint8_t>(port_.attr.active_mtu);
    mine.has_gid = port_.gid_index.has_value();
    std::memcpy(mine.gid.data(), port_.gid.raw, mine.gid.size());
    mine.qps.resize(static_cast<std::size_t>(size_));
    for (int p = 0; p < size_; ++p) {
      if (qps_[p]) mine.qps[p] = QpAddress{qps_[p]->qp_num, psns_[p]};
    }
    const std::vector<std::string> blobs = boot.allgather(encode_conn_info(mine));
    path_mtu_ = mine.mtu;
    for (int p = 0; p < size_; ++p) {
      if (p == rank_) continue;
      const ConnInfo theirs = decode_conn_info(blobs[p], size_, rank_, p);
      if (theirs.link_layer != mine.link_layer || theirs.has_gid != mine.has_gid) {
        throw Error(fmt::format("rank {}: rank {} is on {} {} a GID, this rank on {} {} one (see "
                                "--device and --gid-index): they cannot connect over verbs",
                                rank_, p, link_layer_name(theirs.link_layer),
                                theirs.has_gid ? "with" : "without",
                                link_layer_name(mine.link_layer), mine.has_gid ? "with" : "without"));
      }
      const int mtu = path_mtu(mine.mtu, theirs.mtu);
      path_mtu_ = std::min(path_mtu_, mtu);
      to_rtr(qps_[p].get(), p, theirs, mtu);
      to_rts(qps_[p].get(), p);
    }
    // Nobody sends before every queue pair that could receive it is ready.
    boot.barrier();
  }

  std::size_t max_inline() const override { return max_inline_; }
  std::size_t max_write() const override { return port_.attr.max_msg_sz; }

  std::unique_ptr<Registration> register_memory(void* addr, std::size_t len) override {
    ib::MrPtr mr(ibv_reg_mr(pd_.get(), addr, len, kAccess));
    if (!mr) {
      throw Error(fmt::format("rank {}: ibv_reg_mr of {} bytes failed: {} (is the locked-memory "
                              "limit, ulimit -l, high enough?)",
                              rank_, len, std::strerror(errno)));
    }
    return std::make_unique<IbRegistration>(std::move(mr));
  }

  void post_send(int peer, std::uint64_t wr_id, const void* data, std::uint32_t len,
                 std::uint32_t lkey, bool inline_data) override {
    ibv_sge sge{reinterpret_cast<std::uintptr_t>(data), len, lkey};
    ibv_send_wr wr{};
    wr.wr_id = wr_id;
    wr.sg_list = &sge;
    wr.num_sge = 1;
    wr.opcode = IBV_WR_SEND;
    wr.send_flags = IBV_SEND_SIGNALED;
    if (inline_data) wr.send_flags |= IBV_SEND_INLINE;
    post(peer, wr, "ibv_post_send");
  }

  void post_write(int peer, std::uint64_t wr_id, const void* data, std::uint32_t len,
                  std::uint32_t lkey, std::uint64_t remote, std::uint32_t rkey,
                  std::optional<std::uint32_t> imm) override {
    ibv_sge sge{reinterpret_cast<std::uintptr_t>(data), len, lkey};
    ibv_send_wr wr{};
    wr.wr_id = wr_id;
    wr.sg_list = &sge;
    wr.num_sge = 1;
    wr.opcode = imm ? IBV_WR_RDMA_WRITE_WITH_IMM : IBV_WR_RDMA_WRITE;
    if (imm) wr.imm_data = htonl(*imm);
    wr.send_flags = IBV_SEND_SIGNALED;
    wr.wr.rdma.remote_addr = remote;
    wr.wr.rdma.rkey = rkey;
    post(peer, wr, "ibv_post_send (RDMA write)");
  }

  void post_recv(int peer, std::uint64_t wr_id, void* buf, std::uint32_t len,
                 std::uint32_t lkey) override {
    ibv_sge sge{reinterpret_cast<std::uintptr_t>(buf), len, lkey};
    ibv_recv_wr wr{};
    wr.wr_id = wr_id;
    wr.sg_list = &sge;
    wr.num_sge = 1;
    ibv_recv_wr* bad = nullptr;
    if (const int rc = ibv_post_recv(qps_[peer].get(), &wr, &bad); rc != 0) {
      throw Error(fmt::format("rank {}: ibv_post_recv for rank {} failed: {}", rank_, peer,
                              std::strerror(rc)));
    }
  }

  // Half the room for receives first, then sends: neither queue starves the other.
  std::size_t poll(std::span<Completion> out) override {
    const std::size_t n = drain(recv_cq_.get(), out.first(out.size() / 2));
    return n + drain(send_cq_.get(), out.subspan(n));
  }

  nlohmann::json details() const override {
    return {{"device", port_.device},
            {"port", port_.port},
            {"link_layer", link_layer_name(port_.link_layer)},
            {"gid_index", port_.gid_index ? nlohmann::json(*port_.gid_index) : nlohmann::json()},
            {"lid", port_.attr.lid},
            {"active_mtu", mtu_bytes(port_.attr.active_mtu)},
            {"mtu", mtu_bytes(path_mtu_)},
            {"max_inline", max_inline_},
            {"max_msg_sz", port_.attr.max_msg_sz},
            {"fw_ver", std::string(port_.device_attr.fw_ver)}};
  }

 private:
  ib::CqPtr make_cq(std::uint64_t entries, const char* what) {
    if (entries > static_cast<std::uint64_t>(port_.device_attr.max_cqe)) {
      throw Error(fmt::format("the verbs {} completion queue needs {} entries, {} allows {}", what,
                              entries, port_.device, port_.device_attr.max_cqe));
    }
    ib::CqPtr cq(ibv_create_cq(port_.context.get(), static_cast<int>(entries), nullptr, nullptr, 0));
    if (!cq) {
      throw Error(fmt::format("ibv_create_cq ({} entries) on {} failed: {}", entries, port_.device,
                              std::strerror(errno)));
    }
    return cq;
  }

  ib::QpPtr make_qp(const EngineConfig& config) {
    for (const std::uint32_t wish : kInlineWishes) {
      ibv_qp_init_attr init{};
      init.send_cq = send_cq_.get();
      init.recv_cq = recv_cq_.get();
      init.qp_type = IBV_QPT_RC;
      init.sq_sig_all = 0;
      init.cap.max_send_wr = config.send_depth;
      init.cap.max_recv_wr = config.recv_depth;
      init.cap.max_send_sge = 1;
      init.cap.max_recv_sge = 1;
      init.cap.max_inline_data = wish;
      ib::QpPtr qp(ibv_create_qp(pd_.get(), &init));
      if (!qp) continue;
      // The provider reports what it gave, which may be more than asked.
      max_inline_ = std::min<std::size_t>(max_inline_, init.cap.max_inline_data);
      return qp;
    }
    throw Error(fmt::format("ibv_create_qp (RC, {} send and {} receive work requests) on {} "
                            "failed: {}",
                            config.send_depth, config.recv_depth, port_.device, std::strerror(errno)));
  }

  void to_init(ibv_qp* qp, int peer) {
    ibv_qp_attr a{};
    a.qp_state = IBV_QPS_INIT;
    a.pkey_index = 0;
    a.port_num = static_cast<std::uint8_t>(port_.port);
    a.qp_access_flags = kAccess;
    ib::check_rc(ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
                                           IBV_QP_ACCESS_FLAGS),
                 fmt::format("rank {}: ibv_modify_qp to INIT for rank {}", rank_, peer));
  }

  void to_rtr(ibv_qp* qp, int peer, const ConnInfo& theirs, int mtu) {
    ibv_qp_attr a{};
    a.qp_state = IBV_QPS_RTR;
    a.path_mtu = static_cast<ibv_mtu>(mtu);
    a.dest_qp_num = theirs.qps[rank_].qpn;
    a.rq_psn = theirs.qps[rank_].psn;
    a.max_dest_rd_atomic = 1;
    a.min_rnr_timer = kMinRnrTimer;
    a.ah_attr.dlid = theirs.lid;
    a.ah_attr.port_num = static_cast<std::uint8_t>(port_.port);
    if (port_.gid_index) {
      a.ah_attr.is_global = 1;
      std::memcpy(a.ah_attr.grh.dgid.raw, theirs.gid.data(), theirs.gid.size());
      a.ah_attr.grh.sgid_index = static_cast<std::uint8_t>(*port_.gid_index);
      a.ah_attr.grh.hop_limit = kHopLimit;
    }
    ib::check_rc(ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
                                           IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
                                           IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER),
                 fmt::format("rank {}: ibv_modify_qp to RTR for rank {}", rank_, peer));
  }

  void to_rts(ibv_qp* qp, int peer) {
    ibv_qp_attr a{};
    a.qp_state = IBV_QPS_RTS;
    a.timeout = kAckTimeout;
    a.retry_cnt = kRetryCount;
    a.rnr_retry = kRnrRetryForever;
    a.sq_psn = psns_[peer];
    a.max_rd_atomic = 1;
    ib::check_rc(ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
                                           IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
                                           IBV_QP_MAX_QP_RD_ATOMIC),
                 fmt::format("rank {}: ibv_modify_qp to RTS for rank {}", rank_, peer));
  }

  void post(int peer, ibv_send_wr& wr, const char* call) {
    ibv_send_wr* bad = nullptr;
    if (const int rc = ibv_post_send(qps_[peer].get(), &wr, &bad); rc != 0) {
      throw Error(fmt::format("rank {}: {} to rank {} failed: {}", rank_, call, peer,
                              std::strerror(rc)));
    }
  }

  std::size_t drain(ibv_cq* cq, std::span<Completion> out) {
    if (out.empty()) return 0;
    const int got = ibv_poll_cq(cq, static_cast<int>(std::min(out.size(), wcs_.size())), wcs_.data());
    if (got < 0) throw Error(fmt::format("rank {}: ibv_poll_cq failed ({})", rank_, got));
    for (int i = 0; i < got; ++i) {
      const ibv_wc& wc = wcs_[i];
      Completion& c = out[i];
      c = Completion{};
      c.wr_id = wc.wr_id;
      if (wc.status != IBV_WC_SUCCESS) {
        c.error = ibv_wc_status_str(wc.status);
        c.peer_unreachable = wc.status == IBV_WC_RETRY_EXC_ERR || wc.status == IBV_WC_RNR_RETRY_EXC_ERR;
        c.flushed = wc.status == IBV_WC_WR_FLUSH_ERR;
        continue;
      }
      c.byte_len = wc.byte_len;
      c.has_imm = wc.opcode == IBV_WC_RECV_RDMA_WITH_IMM;
      if (c.has_imm) c.imm = ntohl(wc.imm_data);
    }
    return static_cast<std::size_t>(got);
  }

  // Declared so that they are destroyed in the reverse order: queue pairs, completion
  // queues, protection domain, then the device context.
  OpenedPort port_;
  int rank_;
  int size_;
  ib::PdPtr pd_;
  ib::CqPtr send_cq_;
  ib::CqPtr recv_cq_;
  std::vector<ib::QpPtr> qps_;
  std::vector<std::uint32_t> psns_;
  std::size_t max_inline_ = 0;
  int path_mtu_ = 0;
  std::vector<ibv_wc> wcs_;
};

}  // namespace

std::unique_ptr<Nic> make_ib_nic(const TransportOptions& options, int rank, int size,
                                 const EngineConfig& config) {
  return std::make_unique<IbNic>(open_port(options), rank, size, config);
}

}  // namespace lp::transport::verbs

// The backend's entries in the factory table (backends.h).
namespace lp::transport {

std::string verbs_unavailable_reason() { return verbs::unavailable_reason(); }

std::unique_ptr<Transport> make_verbs_transport(Bootstrap& boot, const TransportOptions& options) {
  const verbs::EngineConfig config = verbs::default_config(boot.size());
  return verbs::make_verbs_transport(
      boot, options, verbs::make_ib_nic(options, boot.rank(), boot.size(), config), config);
}

}  // namespace lp::transport
