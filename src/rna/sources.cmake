# RNA secondary structure module (issue 6): structures, boxes, S1 model, inference, evaluation.
list(APPEND SEQNN_MODULE_SOURCES
  rna/structure.cpp
  rna/boxes.cpp
  rna/targets.cpp
  rna/s1_model.cpp
  rna/proposals.cpp
  rna/assembly.cpp
  rna/evaluation.cpp
  rna/rna_io.cpp
  rna/predict_structures.cpp
  rna/s1_train.cpp
)
