#pragma once
// Training curves from a metrics log: one panel per metric column (epoch on x), the training
// rows in blue, validation in orange, a test row (if any) as a green dot at its epoch.
// SVG is written by hand (titles, axis ranges, legend). PNG is rasterised here onto an RgbImage
// (util/png.h) with the same layout and the same labels in its built-in 5 x 7 pixel font.
#include <string>

#include "seqnn/training/metrics_log.h"

namespace seqnn {

std::string metrics_svg(const MetricsLog& log);
void write_metrics_plot(const MetricsLog& log, const std::string& path);  // .svg or .png, atomic

}  // namespace seqnn
