#include "transport/tcp/tcp_frame.h"

#include "core/error.h"

#include <cstring>

namespace lp::transport::tcp {

void encode_frame(const FrameHeader& h, char (&out)[kFrameHeaderSize]) {
  std::memcpy(out, &kFrameMagic, 4);
  std::memcpy(out + 4, &h.tag, 4);
  std::memcpy(out + 8, &h.length, 8);
}

FrameHeader decode_frame(const char* in, std::size_t max_length, int self, int peer) {
  std::uint32_t magic = 0;
  FrameHeader h;
  std::memcpy(&magic, in, 4);
  std::memcpy(&h.tag, in + 4, 4);
  std::memcpy(&h.length, in + 8, 8);
  if (magic != kFrameMagic) {
    throw Error(fmt::format("rank {}: malformed frame from rank {} over tcp (magic {:#010x}, "
                            "expected {:#010x}); the stream is out of step",
                            self, peer, magic, kFrameMagic));
  }
  if (h.length > max_length) {
    throw Error(fmt::format("rank {}: rank {} sent a {}-byte message over tcp, over this rank's "
                            "limit of {} bytes",
                            self, peer, h.length, max_length));
  }
  return h;
}

}  // namespace lp::transport::tcp
