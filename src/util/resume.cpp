#include "seqnn/util/resume.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/files.h"
#include "seqnn/util/interrupt.h"
#include "seqnn/util/json_object.h"

namespace seqnn {
namespace {

constexpr int kJournalVersion = 1;
thread_local ResumableRun* current_run = nullptr;

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

int64_t file_size(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

// "--batch-size (was 64, now 32)" for each setting that differs, or "" when all agree.
std::string changed_settings(const std::map<std::string, std::string>& was, const std::map<std::string, std::string>& now) {
  std::string out;
  auto add = [&](const std::string& key, const std::string& a, const std::string& b) {
    if (out.size() > 300) return;  // the first few say enough
    out += (out.empty() ? "" : ", ") + key + " (was '" + a + "', now '" + b + "')";
  };
  for (const auto& [key, value] : now) {
    auto it = was.find(key);
    if (it == was.end()) add(key, "", value);
    else if (it->second != value) add(key, it->second, value);
  }
  for (const auto& [key, value] : was) {
    if (!now.count(key)) add(key, value, "");
  }
  return out;
}

void write_journal_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) fail(path, std::string("cannot write the resume journal: ") + std::strerror(errno));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0;
  const int err = errno;
  if (std::fclose(f) != 0 || !ok) {
    std::remove(tmp.c_str());
    fail(path, std::string("cannot write the resume journal: ") + std::strerror(ok ? errno : err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    fail(path, std::string("cannot write the resume journal: ") + std::strerror(errno));
  }
}

}  // namespace

void set_total(ResumePoint& point, const std::string& key, int64_t value) { point.totals[key] = std::to_string(value); }

int64_t get_total(const ResumePoint& point, const std::string& key, int64_t fallback) {
  auto it = point.totals.find(key);
  if (it == point.totals.end()) return fallback;
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) {
    return fallback;
  }
}

ResumableRun::ResumableRun(const std::string& out, std::map<std::string, std::string> settings, bool resume)
    : journal_(out + ".resume"), settings_(std::move(settings)), resuming_(resume) {
  if (resume) {
    load_journal(settings_);
    set_interrupt_note(std::to_string(resumed_.done) + " items of the interrupted run kept; run the same command with --resume to continue (" + journal_ + ")");
  } else if (exists(journal_)) {
    std::remove(journal_.c_str());  // a fresh run replaces whatever an interrupted one left
  }
  outer_ = current_run;
  current_run = this;
}

ResumableRun::~ResumableRun() {
  current_run = outer_;
  if (finished_) return;
  // The run failed: its journal and the partial files it took over but never reopened go too.
  InterruptHold hold;
  std::remove(journal_.c_str());
  for (const auto& entry : resumed_lengths_) {
    const std::string& partial = entry.first;  // (a structured binding cannot be captured in C++17)
    const bool open = std::any_of(files_.begin(), files_.end(), [&](AtomicFile* f) { return f->partial_path() == partial; });
    if (!open) std::remove(partial.c_str());
  }
  set_interrupt_note("");
}

void ResumableRun::load_journal(const std::map<std::string, std::string>& settings) {
  if (!exists(journal_)) {
    fail(journal_, "nothing to resume: no interrupted run left this journal (run without --resume to start)");
  }
  const nlohmann::json j = parse_json(read_text_file(journal_, "resume journal"), journal_);
  try {
    if (j.at("seqnn_resume").get<int>() != kJournalVersion) fail(journal_, "resume journal of another seqnn version");
    const auto was = j.at("settings").get<std::map<std::string, std::string>>();
    const std::string changed = changed_settings(was, settings);
    if (!changed.empty()) {
      fail(journal_, "cannot resume: the interrupted run had other settings or inputs: " + changed +
                         " (run without --resume to start afresh)");
    }
    resumed_.done = j.at("done").get<int64_t>();
    resumed_.totals = j.at("totals").get<std::map<std::string, std::string>>();
    resumed_lengths_ = j.at("files").get<std::map<std::string, int64_t>>();
  } catch (const nlohmann::json::exception& e) {
    fail(journal_, std::string("damaged resume journal: ") + e.what());
  }
  if (resumed_.done < 0) fail(journal_, "damaged resume journal: negative item count");
  for (const auto& [partial, length] : resumed_lengths_) {
    const int64_t size = file_size(partial);
    if (size < 0) fail(partial, "cannot resume: this partial output of the interrupted run is gone (run without --resume)");
    if (length < 0 || size < length) {
      fail(partial, "cannot resume: the partial output is shorter than its journal records (" + std::to_string(size) +
                        " < " + std::to_string(length) + " bytes); run without --resume");
    }
  }
}

ResumableRun* ResumableRun::current() { return current_run; }

int64_t ResumableRun::resumed_length(const std::string& partial) const {
  auto it = resumed_lengths_.find(partial);
  return it == resumed_lengths_.end() ? -1 : it->second;
}

void ResumableRun::add_file(AtomicFile* file) { files_.push_back(file); }

void ResumableRun::remove_file(AtomicFile* file) { files_.erase(std::remove(files_.begin(), files_.end(), file), files_.end()); }

void ResumableRun::checkpoint(const ResumePoint& point, int64_t total, const std::string& unit) {
  InterruptHold hold;  // the journal and the lengths it names change together
  // Files the resumed run has not reopened yet keep the length they had.
  std::map<std::string, int64_t> lengths = resumed_lengths_;
  for (AtomicFile* f : files_) lengths[f->partial_path()] = f->flush_for_checkpoint();
  nlohmann::json j;
  j["seqnn_resume"] = kJournalVersion;
  j["settings"] = settings_;
  j["done"] = point.done;
  j["totals"] = point.totals;
  j["files"] = lengths;
  write_journal_file(journal_, j.dump(1) + "\n");
  for (AtomicFile* f : files_) track_partial_file(f->partial_path(), /*keep_on_interrupt=*/true);
  std::string note = std::to_string(point.done) + (total > 0 ? " of " + std::to_string(total) : "") + " " + unit +
                     " written; run the same command with --resume to continue (" + journal_ + ")";
  set_interrupt_note(note);
}

void ResumableRun::finish() {
  InterruptHold hold;
  finished_ = true;
  std::remove(journal_.c_str());
  set_interrupt_note("");
}

}  // namespace seqnn
