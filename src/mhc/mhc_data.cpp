#include "seqnn/mhc/mhc_data.h"

#include <algorithm>
#include <map>

#include "seqnn/sequence/encoding.h"
#include "seqnn/util/error.h"

namespace seqnn::mhc {

std::pair<std::string, std::string> parse_filter(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw Error("--filter '" + text + "' is not column=value");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

MhcData load_mhc_table(const std::string& path, const MhcTableOptions& o, const PseudoSequences& pseudo) {
  // The allele is read as the row id, then moved to its own column; the id becomes the peptide.
  TableOptions t;
  t.sequence_column = o.sequence_column;
  t.id_column = o.allele_column;
  t.target_columns = {o.target_column};
  t.transform = o.transform;
  t.filters = o.filters;
  MhcData d;
  d.data = load_sequence_table(path, t);
  for (Example& ex : d.data.examples) {
    d.pseudo.push_back(pseudo.require(ex.id, ex.where));
    d.alleles.push_back(std::move(ex.id));
    ex.id = ex.sequence;
  }
  return d;
}

Split split_by_allele(const MhcData& d, const SplitOptions& options, const std::string& test_allele) {
  std::vector<std::string> order;  // alleles in order of first appearance
  std::map<std::string, std::vector<int64_t>> rows_of;
  const std::string held_out = test_allele.empty() ? "" : allele_key(test_allele);
  Split s;
  for (int64_t i = 0; i < d.data.size(); ++i) {
    const std::string& a = d.alleles[static_cast<size_t>(i)];
    if (!held_out.empty() && allele_key(a) == held_out) {
      s.test.push_back(i);
      continue;
    }
    if (!rows_of.count(a)) order.push_back(a);
    rows_of[a].push_back(i);
  }
  if (!held_out.empty() && s.test.empty()) fail(d.data.source, "--test-allele '" + test_allele + "': no row of that allele");
  SplitOptions per = options;
  if (!held_out.empty()) per.folds = 0;
  for (const std::string& a : order) {
    const std::vector<int64_t>& rows = rows_of.at(a);
    const Split part = make_split(d.data.subset(rows), per);
    for (int64_t r : part.train) s.train.push_back(rows[static_cast<size_t>(r)]);
    for (int64_t r : part.val) s.val.push_back(rows[static_cast<size_t>(r)]);
    for (int64_t r : part.test) s.test.push_back(rows[static_cast<size_t>(r)]);
  }
  for (auto* part : {&s.train, &s.val, &s.test}) std::sort(part->begin(), part->end());
  return s;
}

at::Tensor encode_pseudo_sequences(const std::vector<std::string>& pseudo, const std::vector<int64_t>& rows) {
  std::vector<std::string> seqs;
  seqs.reserve(rows.size());
  for (int64_t r : rows) seqs.push_back(pseudo.at(static_cast<size_t>(r)));
  EncodeOptions eo;
  eo.dtype = at::kFloat;
  return one_hot_encode(seqs, Alphabet::protein(), eo);
}

}  // namespace seqnn::mhc
