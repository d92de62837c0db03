# Training module (issue 4): metrics, data sets, trainer, recurrent and language models.
list(APPEND SEQNN_MODULE_SOURCES
  training/metrics.cpp
  training/metrics_log.cpp
)
