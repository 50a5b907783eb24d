#include "bench/rpc/kv_link.h"

namespace lp::bench::rpc {

std::unique_ptr<KvLink> make_kv_link(transport::Transport& t, const RpcConfig& config,
                                     const Roles& roles) {
  if (config.kv == 0) return nullptr;
  auto link = std::make_unique<KvLink>();
  link->by_put = t.supports(transport::Capability::kPut);
  if (!link->by_put) return link;
  // Clients take part in the key exchange with a one-byte region nobody writes.
  const std::size_t bytes = roles.is_server(t.rank()) ? config.kv : 1;
  link->source_bytes.assign(bytes, 0);
  link->target_bytes.assign(bytes, 0);
  link->source = t.register_memory(link->source_bytes.data(), bytes);
  link->target = t.register_memory(link->target_bytes.data(), bytes);
  link->remote = t.exchange_regions(*link->target);
  return link;
}

}  // namespace lp::bench::rpc
