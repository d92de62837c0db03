// The resume journal (util/resume.h) with AtomicFile and NpyWriter: a run that dies after a
// checkpoint (a forked child that _exit()s, so no destructor tidies up) is continued from exactly
// the recorded lengths; settings must match; a failed run leaves nothing.
#include <sys/wait.h>
#include <unistd.h>

#include <torch/torch.h>

#include "seqnn/util/atomic_file.h"
#include "seqnn/util/error.h"
#include "seqnn/util/npy.h"
#include "seqnn/util/resume.h"
#include "test_helpers.h"

using namespace seqnn;
using seqnn::test::error_of;
using seqnn::test::exists;
using seqnn::test::read_text;
using seqnn::test::TempDir;

namespace {

const std::map<std::string, std::string> kSettings = {{"--chunk", "4"}, {"--model", "m.pt"}};

// Ends the child where it stands: no destructor runs, as in a crash.
[[noreturn]] void crash_here() { _exit(0); }

// Runs f, which ends with crash_here(), in a child process.
void in_crashing_child(const std::function<void()>& f) {
  const pid_t pid = fork();
  if (pid == 0) {
    try {
      f();
    } catch (...) {
      _exit(2);
    }
    _exit(0);
  }
  int status = -1;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child failed";
}

}  // namespace

TEST(Resume, ACrashAfterACheckpointIsContinuedFromTheRecordedLength) {
  TempDir dir;
  const std::string out = dir.file("o.txt");
  in_crashing_child([&] {
    ResumableRun run(out, kSettings, false);
    AtomicFile f(out);
    f.write("header\nrow1\n");
    ResumePoint p;
    p.done = 1;
    set_total(p, "rows", 1);
    run.checkpoint(p, 3, "rows");
    f.write("row2-half");  // written after the checkpoint, then the process dies
    std::fflush(f.handle());
    crash_here();
  });
  EXPECT_EQ(read_text(out + ".partial"), "header\nrow1\nrow2-half");
  EXPECT_FALSE(exists(out));

  ResumableRun run(out, kSettings, true);
  EXPECT_TRUE(run.resuming());
  EXPECT_EQ(run.resumed().done, 1);
  EXPECT_EQ(get_total(run.resumed(), "rows"), 1);
  {
    AtomicFile f(out);
    EXPECT_EQ(f.resumed_bytes(), 12);
    f.write("row2\nrow3\n");
    f.commit();
  }
  run.finish();
  EXPECT_EQ(read_text(out), "header\nrow1\nrow2\nrow3\n");
  EXPECT_FALSE(exists(out + ".resume"));
  EXPECT_FALSE(exists(out + ".partial"));
}

TEST(Resume, NpyArraysResumeOnWholeRows) {
  TempDir dir;
  const std::string out = dir.file("a.npy");
  const at::Tensor all = torch::arange(15, torch::kFloat).reshape({5, 3});
  in_crashing_child([&] {
    ResumableRun run(out, kSettings, false);
    NpyWriter w(out, at::kFloat, {3});
    w.append(all.slice(0, 0, 2));
    run.checkpoint(ResumePoint{2, {}}, 5, "rows");
    w.append(all.slice(0, 2, 3));  // past the checkpoint: cut away on resume
    crash_here();
  });
  ResumableRun run(out, kSettings, true);
  {
    NpyWriter w(out, at::kFloat, {3});
    EXPECT_EQ(w.rows(), 2);
    w.append(all.slice(0, 2, 5));
    w.close();
  }
  run.finish();
  EXPECT_TRUE(torch::equal(load_npy(out), all));
}

TEST(Resume, FilesNotYetReopenedKeepTheirLengthAtTheNextCheckpoint) {
  TempDir dir;
  const std::string out = dir.file("o.txt"), side = dir.file("side.txt");
  in_crashing_child([&] {
    ResumableRun run(out, kSettings, false);
    AtomicFile f(out), g(side);
    f.write("a");
    g.write("side1\n");
    run.checkpoint(ResumePoint{1, {}}, -1, "items");
    crash_here();
  });
  // The resumed run checkpoints before it reopens `side` (a skip list opened lazily), then dies.
  in_crashing_child([&] {
    ResumableRun run(out, kSettings, true);
    AtomicFile f(out);
    f.write("b");
    run.checkpoint(ResumePoint{2, {}}, -1, "items");
    crash_here();
  });
  ResumableRun run(out, kSettings, true);
  EXPECT_EQ(run.resumed().done, 2);
  {
    AtomicFile f(out), g(side);
    EXPECT_EQ(g.resumed_bytes(), 6);
    f.write("c");
    g.write("side3\n");
    f.commit();
    g.commit();
  }
  run.finish();
  EXPECT_EQ(read_text(out), "abc");
  EXPECT_EQ(read_text(side), "side1\nside3\n");
}

TEST(Resume, OtherSettingsAreRefusedNamingTheFlagAndKeepTheJournal) {
  TempDir dir;
  const std::string out = dir.file("o.txt");
  in_crashing_child([&] {
    ResumableRun run(out, kSettings, false);
    AtomicFile f(out);
    f.write("x");
    run.checkpoint(ResumePoint{1, {}}, -1, "items");
    crash_here();
  });
  auto changed = kSettings;
  changed["--chunk"] = "8";
  const std::string e = error_of([&] { ResumableRun run(out, changed, true); });
  EXPECT_NE(e.find("--chunk (was '4', now '8')"), std::string::npos) << e;
  EXPECT_TRUE(exists(out + ".resume"));
  EXPECT_TRUE(exists(out + ".partial"));
}

TEST(Resume, AMissingOrDamagedJournalOrPartialFileIsOneClearError) {
  TempDir dir;
  const std::string out = dir.file("o.txt");
  EXPECT_NE(error_of([&] { ResumableRun run(out, kSettings, true); }).find("nothing to resume"), std::string::npos);
  seqnn::test::write_text(out + ".resume", "{\"seqnn_resume\": 1, \"done\": 3}");
  EXPECT_NE(error_of([&] { ResumableRun run(out, kSettings, true); }).find("damaged resume journal"), std::string::npos);
  seqnn::test::write_text(out + ".resume", "not json");
  EXPECT_NE(error_of([&] { ResumableRun run(out, kSettings, true); }).find("invalid JSON"), std::string::npos);

  in_crashing_child([&] {
    ResumableRun run(out, kSettings, false);
    AtomicFile f(out);
    f.write("12345");
    run.checkpoint(ResumePoint{1, {}}, -1, "items");
    crash_here();
  });
  seqnn::test::write_text(out + ".partial", "12");  // shorter than recorded
  EXPECT_NE(error_of([&] { ResumableRun run(out, kSettings, true); }).find("shorter than its journal records"), std::string::npos);
  std::remove((out + ".partial").c_str());
  EXPECT_NE(error_of([&] { ResumableRun run(out, kSettings, true); }).find("is gone"), std::string::npos);
}

TEST(Resume, AFreshRunReplacesAStaleJournalAndAFailedRunLeavesNothing) {
  TempDir dir;
  const std::string out = dir.file("o.txt");
  in_crashing_child([&] {
    ResumableRun run(out, kSettings, false);
    AtomicFile f(out);
    f.write("old");
    run.checkpoint(ResumePoint{1, {}}, -1, "items");
    crash_here();
  });
  ASSERT_TRUE(exists(out + ".resume"));
  {
    ResumableRun run(out, kSettings, false);
    EXPECT_FALSE(exists(out + ".resume"));
    EXPECT_EQ(run.resumed().done, 0);
    AtomicFile f(out);
    EXPECT_FALSE(f.resumed());
    f.write("new");
    run.checkpoint(ResumePoint{1, {}}, -1, "items");
    EXPECT_TRUE(exists(out + ".resume"));
    // No commit, no finish: the run failed (an exception would unwind the same way).
  }
  EXPECT_FALSE(exists(out + ".resume"));
  EXPECT_FALSE(exists(out + ".partial"));
  EXPECT_FALSE(exists(out));
}
