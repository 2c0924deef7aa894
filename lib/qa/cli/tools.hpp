#pragma once

namespace qa::cli {

// The real mains of the six tools (and `qa`); each `tools/<tool>/main.cpp` only forwards to one.
// They parse `argv`, do the work, print results on stdout and errors on stderr, and return the exit
// code: 0 success, 1 the check failed, 2 usage/configuration/environment error, 3 reference
// results missing, 130 interrupted.
int qa_run(int argc, char** argv);
int qa_batch(int argc, char** argv);
int qa_get(int argc, char** argv);
int qa_bitacc(int argc, char** argv);
int qa_report(int argc, char** argv);
int qa_store(int argc, char** argv);

// `qa`: QA-Board's command line (`qa [--label L] [-c C] [--tuning JSON] run|batch|get|
// check-bit-accuracy|init ...`), translated into the tools above, called in-process.
int qa_compat(int argc, char** argv);

}  // namespace qa::cli
