#include "transport/ucx/ucx_lanes.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace lp::transport::ucx {

std::vector<std::string> parse_lanes(std::string_view info) {
  std::vector<std::string> lanes;
  std::size_t pos = 0;
  while ((pos = info.find("lane[", pos)) != std::string_view::npos) {
    const std::size_t eol = std::min(info.find('\n', pos), info.size());
    std::string_view line = info.substr(pos, eol - pos);
    pos = eol;
    // "lane[0]:  3:posix/memory.0 md[1] ..." -> "posix/memory"
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    line.remove_prefix(colon + 1);
    const std::size_t first = line.find_first_not_of(' ');
    if (first == std::string_view::npos) continue;
    line.remove_prefix(first);
    const std::size_t index_end = line.find(':');
    const std::size_t token_end = line.find(' ');
    if (index_end == std::string_view::npos || index_end > token_end) continue;
    std::string_view tl = line.substr(index_end + 1, token_end - index_end - 1);
    // Drop the path index suffix of the device (".0") and any port (":1" stays: a device name).
    const std::size_t slash = tl.find('/');
    if (slash == std::string_view::npos) continue;
    if (const std::size_t dot = tl.rfind('.'); dot != std::string_view::npos && dot > slash) {
      tl = tl.substr(0, dot);
    }
    std::string lane(tl);
    if (std::find(lanes.begin(), lanes.end(), lane) == lanes.end()) lanes.push_back(lane);
  }
  return lanes;
}

std::vector<std::string> endpoint_lanes(ucp_ep_h ep) {
  char* text = nullptr;
  std::size_t len = 0;
  FILE* stream = ::open_memstream(&text, &len);
  if (stream == nullptr) return {};
  ucp_ep_print_info(ep, stream);
  std::fclose(stream);
  const std::unique_ptr<char, decltype(&std::free)> owned(text, &std::free);
  return parse_lanes(std::string_view(text, len));
}

}  // namespace lp::transport::ucx
