#include "seqnn/training/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/png.h"
#include "seqnn/util/strings.h"

namespace seqnn {
namespace {

constexpr int kPanelW = 320, kPanelH = 220, kMargin = 40, kCols = 3;

struct Series {
  std::vector<std::pair<double, double>> points;  // (epoch, value), finite values only
};

struct Panel {
  std::string column;
  Series train, val, test;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
};

std::vector<Panel> make_panels(const MetricsLog& log) {
  std::vector<Panel> panels;
  for (const auto& col : log.columns()) {
    Panel p;
    p.column = col;
    double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin, ymin = xmin, ymax = -xmin;
    for (const auto& r : log.rows()) {
      const double v = r.get(col);
      if (!std::isfinite(v)) continue;
      Series& s = r.tv == "train" ? p.train : r.tv == "test" ? p.test : p.val;
      s.points.emplace_back(static_cast<double>(r.epoch), v);
      xmin = std::min(xmin, static_cast<double>(r.epoch));
      xmax = std::max(xmax, static_cast<double>(r.epoch));
      ymin = std::min(ymin, v);
      ymax = std::max(ymax, v);
    }
    if (!std::isfinite(xmin)) continue;  // an all-NaN column has nothing to draw
    if (xmax == xmin) xmax = xmin + 1;
    if (ymax == ymin) {
      ymin -= 0.5;
      ymax += 0.5;
    }
    const double pad = 0.05 * (ymax - ymin);
    p.x0 = xmin;
    p.x1 = xmax;
    p.y0 = ymin - pad;
    p.y1 = ymax + pad;
    panels.push_back(p);
  }
  if (panels.empty()) throw Error("metrics log has no finite values to plot");
  return panels;
}

// Pixel position of a data point inside panel i.
std::pair<double, double> to_pixel(const Panel& p, size_t i, double x, double y) {
  const double left = static_cast<double>(i % kCols) * kPanelW + kMargin;
  const double top = static_cast<double>(i / kCols) * kPanelH + 25;
  const double w = kPanelW - kMargin - 10, h = kPanelH - 25 - kMargin;
  return {left + (x - p.x0) / (p.x1 - p.x0) * w, top + (1 - (y - p.y0) / (p.y1 - p.y0)) * h};
}

std::string fmt(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}


const char* const kTrainColor = "#1f77b4";
const char* const kValColor = "#ff7f0e";
const char* const kTestColor = "#2ca02c";

std::string svg_polyline(const Panel& p, size_t i, const Series& s, const char* color) {
  if (s.points.empty()) return "";
  std::string pts;
  for (const auto& pt : s.points) {
    auto px = to_pixel(p, i, pt.first, pt.second);
    pts += fmt(px.first) + "," + fmt(px.second) + " ";
  }
  std::string out = "<polyline fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-width=\"2\" points=\"" + pts + "\"/>\n";
  for (const auto& pt : s.points) {
    auto px = to_pixel(p, i, pt.first, pt.second);
    out += "<circle cx=\"" + fmt(px.first) + "\" cy=\"" + fmt(px.second) + "\" r=\"2.5\" fill=\"" + color + "\"/>\n";
  }
  return out;
}

void draw_line(RgbImage& img, double x0, double y0, double x1, double y1, Rgb c) {
  const int steps = static_cast<int>(std::max(std::fabs(x1 - x0), std::fabs(y1 - y0))) + 1;
  for (int s = 0; s <= steps; ++s) {
    const double t = static_cast<double>(s) / steps;
    const int64_t x = std::llround(x0 + t * (x1 - x0)), y = std::llround(y0 + t * (y1 - y0));
    img.fill_rect(x, y, x + 1, y + 1, c);  // 2-pixel pen
  }
}

// Axis number for the PNG labels: at most 3 significant digits, so it fits the 40-pixel margin.
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// Title, legend, y range (top and bottom of the frame) and epoch range of one PNG panel.
void label_png_panel(RgbImage& img, const Panel& p, size_t i, Rgb ink, Rgb train, Rgb val, Rgb test) {
  const int64_t left = static_cast<int64_t>(i % kCols) * kPanelW, top = static_cast<int64_t>(i / kCols) * kPanelH;
  draw_text(img, left + kMargin, top + 8, p.column, ink);
  int64_t x = left + kPanelW - 10 - text_width("train val test");
  x += draw_text(img, x, top + 8, "train", train) + 6;
  x += draw_text(img, x, top + 8, "val", val) + 6;
  draw_text(img, x, top + 8, "test", test);
  const auto a = to_pixel(p, i, p.x0, p.y1), b = to_pixel(p, i, p.x1, p.y0);
  for (const auto& [value, y] : {std::make_pair(p.y1, a.second), std::make_pair(p.y0, b.second)}) {
    const std::string t = short_number(value);
    draw_text(img, std::llround(a.first) - 4 - text_width(t), std::llround(y) - 3, t, ink);
  }
  const int64_t below = std::llround(b.second) + 5;
  draw_text(img, std::llround(a.first), below, short_number(p.x0), ink);
  const std::string last = short_number(p.x1);
  draw_text(img, std::llround(b.first) - text_width(last), below, last, ink);
  draw_text(img, std::llround((a.first + b.first) / 2) - text_width("epoch") / 2, below + 10, "epoch", ink);
}

RgbImage metrics_png(const std::vector<Panel>& panels) {
  const int64_t rows = static_cast<int64_t>((panels.size() + kCols - 1) / kCols);
  RgbImage img(kPanelW * std::min<int64_t>(kCols, static_cast<int64_t>(panels.size())), kPanelH * rows);
  const Rgb train{31, 119, 180}, val{255, 127, 14}, test{44, 160, 44}, frame{90, 90, 90};
  for (size_t i = 0; i < panels.size(); ++i) {
    const Panel& p = panels[i];
    auto a = to_pixel(p, i, p.x0, p.y1), b = to_pixel(p, i, p.x1, p.y0);
    img.draw_rect(std::llround(a.first), std::llround(a.second), std::llround(b.first), std::llround(b.second), frame);
    label_png_panel(img, p, i, Rgb{0, 0, 0}, train, val, test);
    for (const auto* s : {&p.train, &p.val}) {
      const Rgb c = s == &p.train ? train : val;
      for (size_t k = 0; k < s->points.size(); ++k) {
        auto q = to_pixel(p, i, s->points[k].first, s->points[k].second);
        img.fill_rect(std::llround(q.first) - 2, std::llround(q.second) - 2, std::llround(q.first) + 2,
                      std::llround(q.second) + 2, c);
        if (k == 0) continue;
        auto r = to_pixel(p, i, s->points[k - 1].first, s->points[k - 1].second);
        draw_line(img, r.first, r.second, q.first, q.second, c);
      }
    }
    for (const auto& pt : p.test.points) {
      auto q = to_pixel(p, i, pt.first, pt.second);
      img.fill_rect(std::llround(q.first) - 4, std::llround(q.second) - 4, std::llround(q.first) + 4,
                    std::llround(q.second) + 4, test);
    }
  }
  return img;
}

}  // namespace

std::string metrics_svg(const MetricsLog& log) {
  const std::vector<Panel> panels = make_panels(log);
  const size_t rows = (panels.size() + kCols - 1) / kCols;
  const size_t cols = std::min<size_t>(kCols, panels.size());
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(cols * kPanelW) + "\" height=\"" +
                    std::to_string(rows * kPanelH + 20) + "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  for (size_t i = 0; i < panels.size(); ++i) {
    const Panel& p = panels[i];
    auto a = to_pixel(p, i, p.x0, p.y1), b = to_pixel(p, i, p.x1, p.y0);
    out += "<rect x=\"" + fmt(a.first) + "\" y=\"" + fmt(a.second) + "\" width=\"" + fmt(b.first - a.first) +
           "\" height=\"" + fmt(b.second - a.second) + "\" fill=\"none\" stroke=\"#888\"/>\n";
    out += "<text x=\"" + fmt(a.first) + "\" y=\"" + fmt(a.second - 6) + "\" font-weight=\"bold\">" +
           xml_escape(p.column) + "</text>\n";
    out += "<text x=\"" + fmt(a.first - 4) + "\" y=\"" + fmt(a.second + 8) + "\" text-anchor=\"end\">" + fmt(p.y1) + "</text>\n";
    out += "<text x=\"" + fmt(a.first - 4) + "\" y=\"" + fmt(b.second) + "\" text-anchor=\"end\">" + fmt(p.y0) + "</text>\n";
    out += "<text x=\"" + fmt(a.first) + "\" y=\"" + fmt(b.second + 14) + "\">" + fmt(p.x0) + "</text>\n";
    out += "<text x=\"" + fmt(b.first) + "\" y=\"" + fmt(b.second + 14) + "\" text-anchor=\"end\">epoch " + fmt(p.x1) +
           "</text>\n";
    out += svg_polyline(p, i, p.train, kTrainColor);
    out += svg_polyline(p, i, p.val, kValColor);
    for (const auto& pt : p.test.points) {
      auto q = to_pixel(p, i, pt.first, pt.second);
      out += "<circle cx=\"" + fmt(q.first) + "\" cy=\"" + fmt(q.second) + "\" r=\"5\" fill=\"" + kTestColor + "\"/>\n";
    }
  }
  const std::string y = std::to_string(rows * kPanelH + 12);
  out += std::string("<text x=\"10\" y=\"") + y + "\" fill=\"" + kTrainColor + "\">train</text>";
  out += std::string("<text x=\"60\" y=\"") + y + "\" fill=\"" + kValColor + "\">val</text>";
  out += std::string("<text x=\"100\" y=\"") + y + "\" fill=\"" + kTestColor + "\">test (best epoch)</text>\n</svg>\n";
  return out;
}

void write_metrics_plot(const MetricsLog& log, const std::string& path) {
  if (ends_with(path, ".svg")) {
    AtomicFile f(path);
    f.write(metrics_svg(log));
    f.commit();
  } else if (ends_with(path, ".png")) {
    write_png(path, metrics_png(make_panels(log)));
  } else {
    fail(path, "plot output must end in .svg or .png");
  }
}

}  // namespace seqnn
