# s7log: `make demo` and `make test` work on a fresh Debian 12 (installs what is missing).
PRESET ?= dev
JOBS ?= $(shell nproc)

.PHONY: deps build test demo asan release package fuzz bench format format-check clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) -j $(JOBS)

test: build
	@cd build/$(PRESET) && ctest --output-on-failure -j $(JOBS) --timeout 600

asan:
	@$(MAKE) test PRESET=asan

release:
	@$(MAKE) build PRESET=release

# The Debian package build/release/s7log_<version>_<arch>.deb (docs/service.md): only what it
# installs is built (program, live module, man pages, completion, example config), not the tests.
package: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target s7log s7log_docs s7log_example_config
	@cd build/release && cpack -G DEB

demo: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target s7log
	@./build/release/apps/s7log/s7log demo

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

bench: deps
	@bash bench/run.sh

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

clean:
	@rm -rf build
