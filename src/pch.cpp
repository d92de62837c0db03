// The translation unit of the seqnn_pch target: it exists so that CMake precompiles
// <torch/torch.h> once, on a target whose source list never changes (src/CMakeLists.txt).
