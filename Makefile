# The two commands of the README: `make demo` and `make test`. Both install what is missing
# (scripts/bootstrap, Debian packages only), build, then run.
#
#   make demo    build (build/release) and run the example project through qatools
#   make test    build with ASan+UBSan (build/asan) and run every test there; then build the
#                release tools (build/release, -O2: more warnings) and run the demo on them;
#                then package them and check the .deb (tests/package/check-deb)
#   make build   build/release: tools, example and benchmark programs, no tests
#   make package the Debian package of build/release (build/release/package/qatools_*.deb)
#   make bench   the benchmarks of bench/ (prints figures beside peer tools)
#   make fuzz    libFuzzer builds of tests/fuzz/ (clang-16, build/fuzz), each run FUZZ_SECONDS

JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
RELEASE_DIR := build/release
PACKAGE_DIR := $(RELEASE_DIR)/package
ASAN_DIR := build/asan
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := fuzz_record fuzz_config fuzz_metric_defs fuzz_optimize_spec fuzz_optimization fuzz_batches fuzz_run_metrics fuzz_golden fuzz_tuning \
  fuzz_yaml fuzz_report
# Crash traces name file:line: the sanitizers symbolize with clang-16's llvm-symbolizer (llvm-16).
FUZZ_SYMBOLIZER := /usr/lib/llvm-16/bin/llvm-symbolizer
FUZZ_ENV := ASAN_SYMBOLIZER_PATH=$(FUZZ_SYMBOLIZER) UBSAN_SYMBOLIZER_PATH=$(FUZZ_SYMBOLIZER) \
  ASAN_OPTIONS=symbolize=1:external_symbolizer_path=$(FUZZ_SYMBOLIZER) \
  UBSAN_OPTIONS=symbolize=1:print_stacktrace=1:external_symbolizer_path=$(FUZZ_SYMBOLIZER)

.PHONY: all bootstrap build build-asan demo test package bench fuzz clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQA_WERROR=ON -DQA_BUILD_TESTS=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS)

build-asan: bootstrap
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DQA_WERROR=ON -DQA_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)

demo: build
	@examples/denoise/demo $(RELEASE_DIR)

test: build-asan
	@echo "== tests, ASan+UBSan build ($(ASAN_DIR))"
	@ctest --test-dir $(ASAN_DIR) -j $(JOBS) --output-on-failure --no-tests=error
	@echo "== release build ($(RELEASE_DIR)) and the demo on it"
	@$(MAKE) --no-print-directory demo
	@echo "== the Debian package of the release build, checked"
	@$(MAKE) --no-print-directory package
	@tests/package/check-deb $(PACKAGE_DIR)/qatools_*.deb $(RELEASE_DIR)

# The .deb of the release build (cmake/Package.cmake); its path is the last line printed.
package: build
	@rm -f $(PACKAGE_DIR)/qatools_*.deb
	@cpack --config $(RELEASE_DIR)/CPackConfig.cmake -B $(PACKAGE_DIR) >$(RELEASE_DIR)/cpack.log || \
	  { cat $(RELEASE_DIR)/cpack.log; exit 1; }
	@ls $(PACKAGE_DIR)/qatools_*.deb

bench: bootstrap
	@scripts/bootstrap --bench
	@$(MAKE) --no-print-directory build
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/hash-tree
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/batch-overhead
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/bitacc
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/store-scale
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/report
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/http-store
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/s3-store
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/optimize

# Each fuzzer runs on a copy of its seed corpus (new inputs go to $(FUZZ_DIR)/corpus/<target>,
# never into tests/fuzz/corpus); crashes are written to $(FUZZ_DIR)/crashes/. When one fails,
# the sanitizer's report and the top frames of its symbolized trace (file:line) are printed;
# the whole log is $(FUZZ_DIR)/<target>.log. Replay a crash with
# `$(FUZZ_ENV) $(FUZZ_DIR)/tests/fuzz/<target> <crash file>`.
fuzz:
	@scripts/bootstrap --fuzz
	@CC=clang-16 CXX=clang++-16 cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQA_FUZZ=ON -DQA_WERROR=ON -DQA_BUILD_EXAMPLES=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target qa_fuzzers
	@mkdir -p $(FUZZ_DIR)/crashes
	@failed=; for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$target && { cp -n tests/fuzz/corpus/$$target/* $(FUZZ_DIR)/corpus/$$target/ || true; }; \
	  echo "== $$target: $(FUZZ_SECONDS) s on $(FUZZ_DIR)/corpus/$$target (log: $(FUZZ_DIR)/$$target.log)"; \
	  $(FUZZ_ENV) $(FUZZ_DIR)/tests/fuzz/$$target -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/crashes/$$target- $(FUZZ_DIR)/corpus/$$target 2>$(FUZZ_DIR)/$$target.log; \
	  status=$$?; grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done ' $(FUZZ_DIR)/$$target.log; \
	  if [ $$status -ne 0 ]; then grep -E -A3 '^==[0-9]+==|^SUMMARY|^terminate|what\(\)|invariant broken|Test unit written' $(FUZZ_DIR)/$$target.log | head -n 20; \
	    echo "-- top frames:"; grep -E '^[[:space:]]+#[0-9]+ ' $(FUZZ_DIR)/$$target.log | grep -v -E 'libFuzzer|fuzzer::|libc\.so|__libc_start|_start ' | head -n 12; \
	    failed="$$failed $$target"; fi; \
	done; \
	echo "== fuzzed $(FUZZ_TARGETS) for $(FUZZ_SECONDS) s each; corpora in $(FUZZ_DIR)/corpus"; \
	if [ -n "$$failed" ]; then echo "== failed:$$failed (reproducers in $(FUZZ_DIR)/crashes)"; exit 1; fi

clean:
	rm -rf build
