// Parameter lists of public architectures, layer by layer from their published shapes, in
// the order the reference implementations declare them (Hugging Face naming).
//  - gpt2:     GPT-2 small (Radford et al. 2019): 12 layers, d 768, context 1024, vocabulary
//              50257, output tied to the token embedding. 124,439,808 parameters.
//  - gpt-1.3b: the 1.3B shape of the GPT-3 paper (Brown et al. 2020, table 2.1): 24 layers,
//              d 2048, 16 heads, context 2048, GPT-2's vocabulary and layout.
//  - llama-7b: LLaMA 7B (Touvron et al. 2023): 32 layers, d 4096, SwiGLU hidden 11008,
//              vocabulary 32000, RMSNorm, no biases, untied output. 6,738,415,616 parameters.
#include "bench/train/model.h"

#include "core/error.h"

#include <fmt/format.h>

namespace lp::bench::train {
namespace {

Model gpt(const std::string& name, std::size_t layers, std::size_t d, std::size_t context) {
  constexpr std::size_t kVocab = 50257;
  Model m{name, {}};
  auto add = [&](std::string n, std::vector<std::size_t> shape) {
    m.tensors.push_back(make_tensor(std::move(n), std::move(shape)));
  };
  add("transformer.wte.weight", {kVocab, d});
  add("transformer.wpe.weight", {context, d});
  for (std::size_t i = 0; i < layers; ++i) {
    const std::string h = fmt::format("transformer.h.{}.", i);
    add(h + "ln_1.weight", {d});
    add(h + "ln_1.bias", {d});
    add(h + "attn.c_attn.weight", {d, 3 * d});
    add(h + "attn.c_attn.bias", {3 * d});
    add(h + "attn.c_proj.weight", {d, d});
    add(h + "attn.c_proj.bias", {d});
    add(h + "ln_2.weight", {d});
    add(h + "ln_2.bias", {d});
    add(h + "mlp.c_fc.weight", {d, 4 * d});
    add(h + "mlp.c_fc.bias", {4 * d});
    add(h + "mlp.c_proj.weight", {4 * d, d});
    add(h + "mlp.c_proj.bias", {d});
  }
  add("transformer.ln_f.weight", {d});
  add("transformer.ln_f.bias", {d});
  return m;
}

Model llama_7b() {
  constexpr std::size_t kVocab = 32000, kD = 4096, kHidden = 11008, kLayers = 32;
  Model m{"llama-7b", {}};
  auto add = [&](std::string n, std::vector<std::size_t> shape) {
    m.tensors.push_back(make_tensor(std::move(n), std::move(shape)));
  };
  add("model.embed_tokens.weight", {kVocab, kD});
  for (std::size_t i = 0; i < kLayers; ++i) {
    const std::string l = fmt::format("model.layers.{}.", i);
    add(l + "self_attn.q_proj.weight", {kD, kD});
    add(l + "self_attn.k_proj.weight", {kD, kD});
    add(l + "self_attn.v_proj.weight", {kD, kD});
    add(l + "self_attn.o_proj.weight", {kD, kD});
    add(l + "mlp.gate_proj.weight", {kHidden, kD});
    add(l + "mlp.up_proj.weight", {kHidden, kD});
    add(l + "mlp.down_proj.weight", {kD, kHidden});
    add(l + "input_layernorm.weight", {kD});
    add(l + "post_attention_layernorm.weight", {kD});
  }
  add("model.norm.weight", {kD});
  add("lm_head.weight", {kVocab, kD});
  return m;
}

}  // namespace

std::vector<std::string> builtin_models() { return {"gpt2", "gpt-1.3b", "llama-7b"}; }

Model builtin_model(const std::string& name) {
  if (name == "gpt2") return gpt("gpt2", 12, 768, 1024);
  if (name == "gpt-1.3b") return gpt("gpt-1.3b", 24, 2048, 2048);
  if (name == "llama-7b") return llama_7b();
  throw input_error("--model", fmt::format("unknown built-in model '{}' (gpt2, gpt-1.3b or llama-7b)", name));
}

}  // namespace lp::bench::train
