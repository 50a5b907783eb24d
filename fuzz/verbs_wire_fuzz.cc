// The verbs backend's decoders: messages in receive buffers, region keys and connection
// info all come from another process. Whatever the bytes, a decoder returns something
// within its limits or throws lp::Error.
#include "fuzz/fuzz_target.h"
#include "transport/verbs/conn_info.h"
#include "transport/verbs/wire.h"

namespace {

namespace v = lp::transport::verbs;

void check_message(const std::string& input) {
  const v::Limits limits{8180, std::uint64_t{1} << 30, 64};
  const v::Message m = v::decode(input.data(), input.size(), limits, 0, 1);
  if (m.credits > limits.max_credits) __builtin_trap();
  if (m.kind == v::Kind::kEager &&
      (m.length > limits.eager_payload || m.payload + m.length != input.data() + input.size())) {
    __builtin_trap();
  }
  if (m.kind == v::Kind::kRts && (m.length <= limits.eager_payload || m.length > limits.max_message)) {
    __builtin_trap();
  }
}

void check_region(const std::string& input) {
  const v::RegionKey key = v::unpack_region(input, 0, 1);
  if (key.address + key.size < key.address) __builtin_trap();
}

void check_conn_info(const std::string& input) {
  const v::ConnInfo info = v::decode_conn_info(input, 4, 0, 1);
  if (info.qps.size() != 4 || info.mtu < 1 || info.mtu > 5) __builtin_trap();
}

}  // namespace

LP_FUZZ_TARGET({
  for (void (*check)(const std::string&) : {check_message, check_region, check_conn_info}) {
    try {
      check(input);
    } catch (const lp::Error&) {
    }
  }
})
