// Gradient buckets as PyTorch DistributedDataParallel forms them: parameters in reverse
// order (the order backward produces their gradients), one open bucket per data type, a
// bucket closed once it holds at least its limit (the first of each type `first_bytes`,
// 1 MiB in DDP, so the first all-reduce starts early; later ones `cap_bytes`, 25 MiB by
// default), a tensor never split. Buckets are in the order they fill, each all-reduced as
// one vector.
#pragma once

#include "bench/train/model.h"

#include <cstddef>
#include <vector>

namespace lp::bench::train {

struct Bucket {
  Dtype dtype = Dtype::kF32;
  std::vector<std::size_t> tensors;  // indices into Model::tensors, in backward order
  std::size_t count = 0;             // elements
  std::size_t bytes = 0;
  // The backward position (0 = the model's last tensor) of the tensor that completes it.
  std::size_t ready_after = 0;
};

std::vector<Bucket> ddp_buckets(const Model& m, std::size_t cap_bytes, std::size_t first_bytes);

}  // namespace lp::bench::train
