# RNA secondary structure module tests (issue 6).
list(APPEND SEQNN_MODULE_TESTS
  rna/test_structure.cpp
  rna/test_boxes.cpp
  rna/test_png.cpp
  rna/test_s1_model.cpp
  rna/test_assembly.cpp
  rna/test_rna_cli.cpp
)
