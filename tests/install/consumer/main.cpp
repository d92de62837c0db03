// Lists the shipped models the installed library finds, then predicts PUM2 binding of one
// sequence with the shipped rbp/pum2 model: "<name> ..." lines, then "prediction <p>".
#include <seqnn/inference/predict.h>
#include <seqnn/models/model.h>
#include <seqnn/models/shipped_models.h>
#include <seqnn/sequence/alphabet.h>
#include <seqnn/sequence/encoding.h>

#include <cstdio>

int main(int argc, char** argv) try {
  if (argc != 2) return 2;
  for (const auto& m : seqnn::shipped_models()) std::printf("%s %s\n", m.name.c_str(), m.path.c_str());
  seqnn::Model model = seqnn::Model::load(seqnn::resolve_model_path("rbp/pum2"));
  at::Tensor x = seqnn::one_hot_encode(argv[1], seqnn::Alphabet::rna()).unsqueeze(0);
  std::printf("prediction %.7g\n", seqnn::predict(model, x).tensor().item<double>());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "consumer: %s\n", e.what());
  return 1;
}
