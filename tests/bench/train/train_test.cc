// Built-in models against their published parameter counts, model files (and what is wrong
// with bad ones), and DDP bucketing.
#include "bench/train/buckets.h"
#include "bench/train/model.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <set>

namespace lp::bench::train {
namespace {

using allreduce::Dtype;

TEST(Models, BuiltInsHaveTheirPublishedParameterCounts) {
  EXPECT_EQ(builtin_model("gpt2").parameters(), 124439808u);
  EXPECT_EQ(builtin_model("llama-7b").parameters(), 6738415616u);
  // 24 layers of 12 d^2 + 13 d, embeddings and the final norm, d = 2048.
  const std::size_t d = 2048;
  EXPECT_EQ(builtin_model("gpt-1.3b").parameters(),
            24 * (12 * d * d + 13 * d) + 50257 * d + 2048 * d + 2 * d);
  const Model g = builtin_model("gpt2");
  EXPECT_EQ(g.tensors.front().name, "transformer.wte.weight");
  EXPECT_EQ(g.tensors.size(), 2 + 12 * 12 + 2u);
  EXPECT_EQ(g.bytes(), 124439808u * 4);
  EXPECT_THROW(builtin_model("gpt-5"), InputError);
}

TEST(Models, ReadsAFile) {
  const Model m = parse_model(R"({"format": "lightpath.model/1", "name": "tiny",
      "tensors": [{"name": "embed", "shape": [1000, 64], "dtype": "f32"},
                  {"name": "norm", "shape": [64], "dtype": "bf16"}]})",
                              "tiny.json");
  EXPECT_EQ(m.name, "tiny");
  ASSERT_EQ(m.tensors.size(), 2u);
  EXPECT_EQ(m.tensors[0].elements, 64000u);
  EXPECT_EQ(m.tensors[1].dtype, Dtype::kBf16);
  EXPECT_EQ(m.bytes(), 64000u * 4 + 64 * 2);
}

// Every problem of a bad file, each with its JSON path, in one error naming the file.
TEST(Models, BadFilesSayEverythingWrongAtOnce) {
  try {
    parse_model(R"({"format": "lightpath.model/1", "name": "bad",
        "tensors": [{"name": "a", "shape": [10, 0], "dtype": "f32"},
                    {"name": "a", "shape": [3], "dtype": "f8"},
                    {"shape": [], "dtype": "f32"},
                    {"name": "huge", "shape": [4294967296, 4294967296, 16], "dtype": "f64"},
                    7]})",
                "bad.json");
    FAIL() << "accepted a bad model";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("bad.json: tensors[0].shape[1]: 0 is out of range"), std::string::npos) << m;
    EXPECT_NE(m.find("tensors[1].name: 'a' appears twice"), std::string::npos) << m;
    EXPECT_NE(m.find("tensors[1].dtype: unknown data type 'f8'"), std::string::npos) << m;
    EXPECT_NE(m.find("tensors[2].name: missing"), std::string::npos) << m;
    EXPECT_NE(m.find("tensors[2].shape: has no dimensions"), std::string::npos) << m;
    EXPECT_NE(m.find("tensors[3].shape: has too many elements"), std::string::npos) << m;
    EXPECT_NE(m.find("tensors[4]: expected an object"), std::string::npos) << m;
  }
  EXPECT_THROW(parse_model(R"({"format": "lightpath.model/2", "name": "x", "tensors": []})", "f"), InputError);
  EXPECT_THROW(parse_model("{", "f"), InputError);
  EXPECT_THROW(parse_model(R"({"format": "lightpath.model/1", "name": "x", "tensors": []})", "f"),
               InputError);
  EXPECT_THROW(load_model("/nonexistent/model.json"), InputError);
}

Model layers(const std::vector<std::size_t>& elements, Dtype d = Dtype::kF32) {
  Model m{"m", {}};
  for (std::size_t i = 0; i < elements.size(); ++i) {
    m.tensors.push_back(make_tensor("t" + std::to_string(i), {elements[i]}, d));
  }
  return m;
}

TEST(Buckets, ReverseOrderSmallFirstBucketThenTheCap) {
  // Ten tensors of 1 MiB (f32): backward order is t9, t8, ...
  const Model m = layers(std::vector<std::size_t>(10, 256 * 1024));
  const auto b = ddp_buckets(m, 3 << 20, 1 << 20);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].tensors, (std::vector<std::size_t>{9}));  // the 1 MiB first bucket
  EXPECT_EQ(b[1].tensors, (std::vector<std::size_t>{8, 7, 6}));
  EXPECT_EQ(b[2].tensors, (std::vector<std::size_t>{5, 4, 3}));
  EXPECT_EQ(b[3].tensors, (std::vector<std::size_t>{2, 1, 0}));  // what is left
  EXPECT_EQ(b[1].bytes, 3u << 20);
  EXPECT_EQ(b[3].ready_after, 9u);
}

TEST(Buckets, EveryTensorOnceOneTypePerBucket) {
  Model m = layers({10, 5000000, 20, 30, 40});
  m.tensors[2].dtype = Dtype::kBf16;
  const auto b = ddp_buckets(m, 1000, 100);
  std::multiset<std::size_t> seen;
  std::size_t bytes = 0;
  for (const Bucket& k : b) {
    for (std::size_t t : k.tensors) {
      seen.insert(t);
      EXPECT_EQ(m.tensors[t].dtype, k.dtype);
    }
    bytes += k.bytes;
  }
  EXPECT_EQ(seen, (std::multiset<std::size_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(bytes, m.bytes());
  // t4 fills the first bucket; the 20 MB t1 joins t3 in the open one and closes it; the
  // bf16 t2 is in a bucket of its own type.
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].tensors, (std::vector<std::size_t>{4}));
  EXPECT_EQ(b[1].tensors, (std::vector<std::size_t>{3, 1}));
  EXPECT_EQ(b[2].tensors, (std::vector<std::size_t>{2}));
  EXPECT_EQ(b[2].dtype, Dtype::kBf16);
  EXPECT_EQ(b[3].tensors, (std::vector<std::size_t>{0}));
}

TEST(Buckets, GptTwoAtTwentyFiveMebibytes) {
  const Model m = builtin_model("gpt2");
  const auto b = ddp_buckets(m, 25 << 20, 1 << 20);
  // Backward starts with ln_f and the last MLP: its 9.4 MB projection closes the first bucket.
  EXPECT_EQ(b.front().tensors.size(), 4u);
  EXPECT_EQ(m.tensors[b.front().tensors.back()].name, "transformer.h.11.mlp.c_proj.weight");
  // The token embedding (154 MB) comes last, closing the last bucket.
  EXPECT_EQ(b.back().tensors.back(), 0u);
  for (std::size_t i = 1; i + 1 < b.size(); ++i) EXPECT_GE(b[i].bytes, 25u << 20);
  EXPECT_EQ(b.size(), 13u);
}

}  // namespace
}  // namespace lp::bench::train
