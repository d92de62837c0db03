# Training module commands (issue 4).
list(APPEND SEQNN_MODULE_CLI_SOURCES
  cmd_train.cpp
  cmd_generate.cpp
  cmd_plot_metrics.cpp
)
