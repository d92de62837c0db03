# seqnn: `make run` and `make test` work on a fresh Debian 12 machine (as root): they install the
# missing Debian packages, configure and build in Release, then run the demo or the test suite.
BUILD ?= build
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

.PHONY: all deps configure build run test bench fixtures install clean

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

bench: build
	@bench/run_all.sh $(BUILD)

# Regenerates the TorchScript fixtures with Debian's python3-torch (the results are committed).
fixtures:
	/usr/bin/python3 tests/fixtures/make_fixtures.py

clean:
	rm -rf $(BUILD)
