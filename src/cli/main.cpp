// seqnn: one command line for sequence models. Each subcommand lives in cmd_<name>.cpp.
#include <htslib/hts_log.h>

#include <cstdio>

#include "cli/common_options.h"
#include "cli/distributed_options.h"
#include "seqnn/util/error.h"
#include "seqnn/util/interrupt.h"
#include "seqnn/util/memory.h"
#include "seqnn/util/runtime_env.h"
#include "seqnn/version.h"

namespace {

// "seqnn rna fold": the innermost command the arguments named, for error lines.
std::string command_name(const CLI::App& app) {
  std::string name = "seqnn";
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands()[0];
    name += " " + at->get_name();
  }
  return name + seqnn::cli::error_context();  // " (rank 1 of 2)" in a data-parallel run
}

}  // namespace

int main(int argc, char** argv) {
  seqnn::restart_with_runtime_environment(argv);
  seqnn::cli::set_program_arguments(argc, argv);  // `train --nproc N` starts copies of it
  // Batches allocate and free the same large buffers again and again: keep them in the heap
  // rather than returning them to the kernel each time (page faults cost as much as the math).
  seqnn::keep_freed_memory();
  CLI::App app{"seqnn " SEQNN_VERSION ": deep learning on biological sequences (DNA, RNA, protein)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", SEQNN_VERSION);
  seqnn::cli::register_all_commands(app);
  // Ctrl-C / kill: one line, exit 130 / 143, no output that looks complete (util/interrupt.h).
  seqnn::stop_cleanly_on_signals();
  hts_set_log_level(HTS_LOG_OFF);  // seqnn reports problems itself, in one line (htslib's lines would leak)

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line like every other error (CLI11 adds "Run with --help ..." and its own exit codes).
    std::fprintf(stderr, "%s: error: %s (see --help)\n", command_name(app).c_str(), seqnn::one_line(e.what()).c_str());
    return 1;
  } catch (const seqnn::Error& e) {
    std::fprintf(stderr, "%s: error: %s\n", command_name(app).c_str(), e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", command_name(app).c_str(), seqnn::first_line(e.what()).c_str());
    return 1;
  }
  return 0;
}
