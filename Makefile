# seqnn: `make run` and `make test` work on a fresh Debian 12 machine (as root): they install the
# missing Debian packages, configure and build in Release, then run the demo or the test suite.
BUILD ?= build
JOBS ?= $(shell nproc)
CTEST_ARGS ?=
SAN_BUILD ?= build-asan
FUZZ_SECONDS ?= 600

.PHONY: all deps configure build run test bench fixtures install clean sanitize-configure check-asan fuzz

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@scripts/configure.sh $(BUILD)

build: configure
	cmake --build $(BUILD) -j$(JOBS)

run: build
	@scripts/demo.sh $(BUILD)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) $(CTEST_ARGS)

# Installs the binary, library, headers, shipped models and CMake package (PREFIX=/usr/local by default).
install: build
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

# The sanitizer build (clang, ASan + UBSan, libFuzzer coverage) in $(SAN_BUILD): `make check-asan`
# runs the whole suite in it, `make fuzz` runs every fuzz target for FUZZ_SECONDS each
# (FUZZ_TARGETS, FUZZ_JOBS side by side). docs/reliability.md.
sanitize-configure:
	@scripts/install-deps.sh --sanitizers
	@[ -f $(SAN_BUILD)/CMakeCache.txt ] || cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DSEQNN_SANITIZE=ON -DSEQNN_FUZZ=ON \
	  -DSEQNN_BUILD_BENCH=OFF "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -gline-tables-only -DNDEBUG"

check-asan: sanitize-configure
	cmake --build $(SAN_BUILD) -j$(JOBS) --target seqnn_tests seqnn_cli
	@scripts/check-asan.sh $(SAN_BUILD)

fuzz: sanitize-configure
	cmake --build $(SAN_BUILD) -j$(JOBS) --target seqnn_fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-fuzzers.sh $(SAN_BUILD)

bench: build
	@bench/run_all.sh $(BUILD)

# Regenerates the TorchScript fixtures with Debian's python3-torch (the results are committed).
fixtures:
	/usr/bin/python3 tests/fixtures/make_fixtures.py

clean:
	rm -rf $(BUILD)
