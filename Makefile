# The two commands of the README: `make demo` and `make test`. Both install what is missing
# (scripts/bootstrap, Debian packages only), build, then run.
#
#   make demo    build (build/release) and run the example project through qatools
#   make test    build with ASan+UBSan (build/asan) and run every test there; then build the
#                release tools (build/release, -O2: more warnings) and run the demo on them
#   make build   build/release: tools, example and benchmark programs, no tests
#   make bench   the benchmarks of bench/ (prints figures beside peer tools)

JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
RELEASE_DIR := build/release
ASAN_DIR := build/asan

.PHONY: all bootstrap build build-asan demo test bench clean

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

bench: bootstrap
	@scripts/bootstrap --bench
	@$(MAKE) --no-print-directory build
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/hash-tree
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/batch-overhead
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/bitacc
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/report
	@QA_BUILD_DIR=$(RELEASE_DIR) bench/http-store

clean:
	rm -rf build
