# Training module tests (issue 4).
list(APPEND SEQNN_MODULE_TESTS
  training/test_metrics.cpp
  training/test_dataset.cpp
  training/test_trainer.cpp
  training/test_lm_cli.cpp
)
