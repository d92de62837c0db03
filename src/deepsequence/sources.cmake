# DeepSequence module (issue 5): alignments, sequence weights, the Bayesian VAE, mutation scoring.
list(APPEND SEQNN_MODULE_SOURCES
  deepsequence/alignment.cpp
  deepsequence/weights.cpp
  deepsequence/vae_config.cpp
  deepsequence/vae.cpp
  deepsequence/trainer.cpp
  deepsequence/checkpoint.cpp
  deepsequence/mutations.cpp
)
