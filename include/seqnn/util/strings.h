#pragma once
// Small string helpers shared by the writers and the command line.
#include <string>
#include <vector>

namespace seqnn {

bool ends_with(const std::string& s, const std::string& suffix);
std::string join(const std::vector<std::string>& fields, char sep = '\t');
// Splits on sep; empty fields are kept.
std::vector<std::string> split(const std::string& s, char sep);
// ASCII upper case (sequences and alleles; locale-independent).
std::string to_upper(std::string s);
// Shortest round-trippable-enough text for a prediction (7 significant digits, "nan" for NaN).
void append_number(std::string& out, double value);
// Text for an XML/SVG document: & < > " escaped, control characters as spaces.
std::string xml_escape(const std::string& text);

}  // namespace seqnn
