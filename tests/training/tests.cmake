# Training module tests (issue 4).
list(APPEND SEQNN_MODULE_TESTS
  training/test_metrics.cpp
)
