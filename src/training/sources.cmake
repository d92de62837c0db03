# Training module (issue 4): metrics, data sets, trainer, recurrent and language models.
# The recurrent native models live with the other model kinds in src/models.
list(APPEND SEQNN_MODULE_SOURCES
  models/rnn.cpp
  models/rnn_config.cpp
  models/rnn_backend.cpp
  training/metrics.cpp
  training/metrics_log.cpp
  training/dataset.cpp
  training/heads.cpp
  training/trainer.cpp
  training/train_state.cpp
  training/train_settings.cpp
  training/train_job.cpp
  training/char_lm.cpp
  training/plot.cpp
)
