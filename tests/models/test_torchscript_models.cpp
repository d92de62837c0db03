// TorchScript models exported by tests/fixtures/make_fixtures.py must reproduce PyTorch's outputs.
#include "seqnn/models/model.h"
#include "seqnn/util/error.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::fixture;
using seqnn::test::fixture_npy;

TEST(TorchScript, FlattenDenseMatchesPyTorch) {
  Model m = Model::load(fixture("flatten_dense.pt"));
  EXPECT_EQ(m.info().kind, "torchscript");
  EXPECT_EQ(m.info().input_length.value_or(-1), 10);
  at::Tensor X = fixture_npy("flatten_dense_X");
  EXPECT_TENSOR_NEAR(m.forward(X).tensor(), fixture_npy("flatten_dense_y"), 1e-5);
  EXPECT_TENSOR_NEAR(m.forward(X, {fixture_npy("flatten_dense_alpha3"), fixture_npy("flatten_dense_beta3")}).tensor(),
                     fixture_npy("flatten_dense_y_alpha3_beta3"), 1e-5);
  // int8 input is cast to the model's dtype.
  EXPECT_TENSOR_NEAR(m.forward(X.to(at::kChar)).tensor(), fixture_npy("flatten_dense_y"), 1e-5);
}

TEST(TorchScript, TupleOutput) {
  Model m = Model::load(fixture("multi_tuple.pt"));
  ModelOutput out = m.forward(fixture_npy("multi_X"));
  EXPECT_EQ(out.kind, ModelOutput::Kind::kTuple);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TENSOR_NEAR(out[0], fixture_npy("multi_tuple_out0"), 1e-5);
  EXPECT_TENSOR_NEAR(out[1], fixture_npy("multi_tuple_out1"), 1e-5);
}

TEST(TorchScript, DictOutputWithExtraInput) {
  Model m = Model::load(fixture("multi_dict.pt"));
  ModelOutput out = m.forward(fixture_npy("multi_X"), {fixture_npy("multi_dict_bias")});
  EXPECT_EQ(out.kind, ModelOutput::Kind::kDict);
  EXPECT_EQ(out.names, (std::vector<std::string>{"logits", "pooled"}));
  EXPECT_TENSOR_NEAR(out.at("logits"), fixture_npy("multi_dict_logits"), 1e-5);
  EXPECT_TENSOR_NEAR(out.at("pooled"), fixture_npy("multi_dict_pooled"), 1e-5);
}

TEST(TorchScript, DeepSeaAndBassetArchitecturesMatchPyTorch) {
  for (const std::string name : {"deepsea_small", "basset_small"}) {
    Model m = Model::load(fixture(name + ".pt"));
    ModelInfo info = m.info();
    EXPECT_EQ(info.input_length.value_or(-1), 200);
    EXPECT_FALSE(info.output_names.empty());
    EXPECT_FALSE(m.is_training());
    EXPECT_TENSOR_NEAR(m.forward(fixture_npy("cnn_X")).tensor(), fixture_npy(name + "_y"), 1e-5);
  }
}

TEST(TorchScript, DropoutIsActiveOnlyInTrainingMode) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  at::Tensor X = fixture_npy("cnn_X");
  at::Tensor a = m.forward(X).tensor();
  m.train();
  at::Tensor b = m.forward(X).tensor();
  EXPECT_GT(seqnn::test::max_abs_diff(a, b), 1e-4);
  m.eval();
  EXPECT_TENSOR_NEAR(m.forward(X).tensor(), a, 0.0);
}

TEST(TorchScript, BadFilesGiveOneLineErrors) {
  seqnn::test::TempDir dir;
  seqnn::test::write_text(dir.file("garbage.pt"), "this is not a model");
  for (const std::string& path : {dir.file("garbage.pt"), dir.file("missing.pt"), dir.path()}) {
    try {
      Model::load(path);
      FAIL() << path;
    } catch (const Error& e) {
      std::string msg = e.what();
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
      EXPECT_EQ(msg.rfind(path, 0), 0u) << msg;
    }
  }
}

TEST(TorchScript, ADamagedProgramIsAnErrorNamingTheFile) {
  // Found by the model fuzz target: a TorchScript zip whose code no longer compiles threw
  // torch::jit::ErrorReport, which is not a c10::Error, past the loader.
  const std::string path = std::string(SEQNN_SOURCE_DIR) + "/tests/fuzz/corpus/model/crash-torchscript-error-report.pt";
  const std::string msg = seqnn::test::error_of([&] { Model::load(path); });
  EXPECT_EQ(msg.rfind(path + ": damaged model", 0), 0u) << msg;  // caught by the zip check now
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

TEST(TorchScript, ACorruptByteIsCaughtByTheZipCrcBeforeLibTorchReadsIt) {
  // Found by the model fuzz target: LibTorch 1.13 does not check entry CRCs, and a damaged
  // TorchScript file made its unpickler free memory it never allocated (ASan).
  seqnn::test::TempDir dir;
  std::string bytes = seqnn::test::read_text(fixture("flatten_dense.pt"));
  // One byte of the first weight tensor (a stored entry): LibTorch alone would load a wrong weight.
  const std::string entry = "flatten_dense/data/0";
  const size_t name_at = bytes.find(entry);
  ASSERT_NE(name_at, std::string::npos);
  const size_t extra = static_cast<unsigned char>(bytes[name_at - 2]) | (static_cast<unsigned char>(bytes[name_at - 1]) << 8);
  bytes[name_at + entry.size() + extra + 10] ^= 0x40;
  seqnn::test::write_text(dir.file("flipped.pt"), bytes);
  const std::string msg = seqnn::test::error_of([&] { Model::load(dir.file("flipped.pt")); });
  EXPECT_NE(msg.find("flipped.pt: damaged model: entry 'flatten_dense/data/0'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("fails its CRC-32 check"), std::string::npos) << msg;
  const std::string bad_free = std::string(SEQNN_SOURCE_DIR) + "/tests/fuzz/corpus/model/crash-libtorch-bad-free.pt";
  EXPECT_NE(seqnn::test::error_of([&] { Model::load(bad_free); }).find("damaged model"), std::string::npos);
  EXPECT_EQ(Model::load(fixture("flatten_dense.pt")).info().source, fixture("flatten_dense.pt"));  // intact files load
}

TEST(TorchScript, WrongInputShapeIsAnError) {
  Model m = Model::load(fixture("deepsea_small.pt"));
  try {
    m.forward(torch::zeros({2, 4, 150}));
    FAIL();
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("[2, 4, 150]"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(TorchScript, ModelsWhoseOutputsCannotBeNamedAreRefusedAtLoad) {
  // tests/fixtures/make_bad_model_fixtures.py: an empty output dict, a dict literal naming one
  // key twice (the first entry is silently lost) and repeated seqnn_output_names were accepted.
  const std::string empty = fixture("bad_models/empty_dict.pt"), keys = fixture("bad_models/duplicate_keys.pt"),
                    names = fixture("bad_models/duplicate_names.pt");
  EXPECT_EQ(seqnn::test::error_of([&] { Model::load(empty); }),
            empty + ": the model's forward returns an empty dict (a model needs at least one output)");
  EXPECT_EQ(seqnn::test::error_of([&] { Model::load(keys); }),
            keys + ": the model's forward returns a dict that names the output 'score' twice (one would be lost)");
  EXPECT_EQ(seqnn::test::error_of([&] { Model::load(names); }), names + ": seqnn_output_names names the output column 'p' twice");
}

TEST(TorchScript, AFailedForwardNamesTheModelAndTheCause) {
  // The first line of LibTorch's message ("The following operation failed in the TorchScript
  // interpreter.") said nothing; the cause is at the end of its traceback.
  Model m = Model::load(fixture("multi_tuple.pt"));
  const std::string msg = seqnn::test::error_of([&] { m.forward(torch::zeros({1, 4, 13})); });
  EXPECT_EQ(msg, fixture("multi_tuple.pt") + ": forward failed on input of shape [1, 4, 13]: mat1 and mat2 shapes cannot be "
                                             "multiplied (1x52 and 80x1)");
}

TEST(TorchScript, ATruncatedFileIsSaidToBeTruncated) {
  seqnn::test::TempDir dir;
  const std::string bytes = seqnn::test::read_text(fixture("flatten_dense.pt"));
  seqnn::test::write_text(dir.file("cut.pt"), bytes.substr(0, bytes.size() / 2));
  const std::string msg = seqnn::test::error_of([&] { Model::load(dir.file("cut.pt")); });
  EXPECT_EQ(msg, dir.file("cut.pt") + ": damaged model: a zip archive without its directory at the end (a truncated file?)");
}
