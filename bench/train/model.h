// The parameter list of a model, tensor by tensor in forward (layer) order: what data-parallel
// training all-reduces the gradients of. Built-in lists for public architectures
// (builtin_models.cc), or a file `lightpath.model/1`:
//
//   {"format": "lightpath.model/1", "name": "tiny",
//    "tensors": [{"name": "embed.weight", "shape": [32000, 512], "dtype": "f32"}, ...]}
#pragma once

#include "bench/allreduce/dtype.h"

#include <cstddef>
#include <string>
#include <vector>

namespace lp::bench::train {

using allreduce::Dtype;

inline constexpr const char* kModelFormat = "lightpath.model/1";

struct Tensor {
  std::string name;
  std::vector<std::size_t> shape;
  Dtype dtype = Dtype::kF32;
  std::size_t elements = 0;  // product of the shape

  std::size_t bytes() const { return elements * allreduce::element_size(dtype); }
};

struct Model {
  std::string name;
  std::vector<Tensor> tensors;

  std::size_t parameters() const;
  std::size_t bytes() const;
};

// Makes a tensor, computing its element count. Throws InputError on overflow.
Tensor make_tensor(std::string name, std::vector<std::size_t> shape, Dtype dtype = Dtype::kF32);

// The built-in names: gpt2 (GPT-2 small, 124M), gpt-1.3b (the GPT-3 paper's 1.3B shape),
// llama-7b.
std::vector<std::string> builtin_models();
// Throws InputError naming --model and the choices for an unknown name.
Model builtin_model(const std::string& name);

// Every problem (with its JSON path) in one InputError naming `source`.
Model parse_model(const std::string& text, const std::string& source);

// A built-in name, or else a file.
Model load_model(const std::string& name_or_file);

}  // namespace lp::bench::train
