#pragma once
// Sequence logos of attribution maps (tangermeme's plot_logo, logomaker's style): at each
// position the letters are stacked with heights proportional to their values, positive ones
// above the zero line and negative ones below, largest magnitude outermost. Given the sequence,
// only the observed letter is drawn (the map times the one-hot, the usual view of an ISM or
// DeepLIFT map); the strongest window of a given length is shaded, as a motif call would be.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seqnn/util/png.h"

namespace seqnn {

struct LogoOptions {
  std::string letters = "ACGT";  // one per row of the map (A rows)
  std::string sequence;          // optional: draw only the observed letter at each position
  int64_t highlight_length = 0;  // > 0: shade the strongest window of this length
  int64_t pixels_per_position = 12;
  int64_t plot_height = 160;
  std::string title;
  int64_t first_position = 1;  // label of the first column (a crop of a longer map)
  std::string y_label;         // SVG: the y axis's label ("attribution", "bits")
};

// The window of `length` positions with the largest summed value of the (masked) map: its start.
// map (A, L); sequence as in LogoOptions (empty: every letter counts).
int64_t strongest_window(const at::Tensor& map, const std::string& letters, const std::string& sequence, int64_t length);

// map (A, L) as a logo image; throws seqnn::Error when letters or sequence do not fit the map.
RgbImage render_logo(const at::Tensor& map, const LogoOptions& options);

// The same logo as an SVG document: the same layout, letters as filled vector glyphs (the
// nucleotides; other letters as text), the y axis with its range and label, position ticks and
// the title. Each letter is one element <path class="letter" data-letter="A" data-value="0.53" ...>.
std::string render_logo_svg(const at::Tensor& map, const LogoOptions& options);

// The information-content logo of a PWM (W columns of A probabilities): letter heights
// p * (log2 A - H), H the column's entropy in bits (Schneider & Stephens 1990, without the
// small-sample correction). (A, W) double.
at::Tensor information_content_map(const std::vector<std::vector<double>>& columns);

// Logos laid out in rows, each row's panels side by side (the seqlet report: a pattern beside its
// best motif match), as one SVG document with a title.
struct LogoPanel {
  at::Tensor map;  // (A, L)
  LogoOptions options;
};
std::string render_logo_grid_svg(const std::vector<std::vector<LogoPanel>>& rows, const std::string& title);

}  // namespace seqnn

namespace seqnn {

// `seqnn plot-logo`: one record of an attribution file (N, A, L), or one motif of a MEME file
// (its information-content logo), as a logo: PNG or SVG by the output's extension.
struct LogoRequest {
  std::string attributions;  // .npy (N, A, L) from `seqnn attribute` or `seqnn ism --mode attribution`
  // Or MEME_FILE:ID motifs (by id or name): their information-content logos, several one under
  // another (SVG only).
  std::vector<std::string> motifs;
  std::string fasta;         // optional: the sequences the map was made from (same order)
  std::string alphabet;      // dna, rna or protein; empty: from the FASTA-less default for A (4: dna)
  std::string out;           // .png or .svg
  int64_t record = 0;        // 0-based row of the file
  int64_t motif_length = 8;  // shaded and reported strongest window (0 = none)
  int64_t pixels_per_position = 12;
  int64_t flank = -1;        // >= 0: draw only the strongest window and this many positions each side
};
struct LogoResult {
  std::string id;      // FASTA name of the record ("record N" without a FASTA)
  int64_t positions = 0;
  int64_t start = 0;   // 0-based start of the strongest window
  std::string motif;   // its letters (from the FASTA; empty without one)
  double sum = 0;      // its summed (masked) attribution
};
LogoResult plot_logo_file(const LogoRequest& request);

}  // namespace seqnn
