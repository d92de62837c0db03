# DeepSequence module tests (issue 5).
list(APPEND SEQNN_MODULE_TESTS
  deepsequence/test_alignment.cpp
  deepsequence/test_vae.cpp
  deepsequence/test_cli_deepseq.cpp
)
