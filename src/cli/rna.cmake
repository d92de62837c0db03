# seqnn rna (issue 6): train / predict / eval.
list(APPEND SEQNN_MODULE_CLI_SOURCES
  cmd_rna.cpp
  cmd_rna_train.cpp
  cmd_rna_predict.cpp
  cmd_rna_eval.cpp
)
