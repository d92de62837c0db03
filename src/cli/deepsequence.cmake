# DeepSequence commands (issue 5): seqnn deepseq train | score | weights.
list(APPEND SEQNN_MODULE_CLI_SOURCES
  cmd_deepseq.cpp
  cmd_deepseq_train.cpp
  cmd_deepseq_score.cpp
)
