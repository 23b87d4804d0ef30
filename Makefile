# s7log: `make demo` and `make test` work on a fresh Debian 12 (installs what is missing).
PRESET ?= dev
JOBS ?= $(shell nproc)

.PHONY: deps build test demo asan release package windows test-windows fuzz bench bench-plant bench-outputs bench-symbols format format-check clean

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

# The Windows program dist/s7log-<version>-win64.zip (docs/windows.md): cross-compiled with
# MinGW-w64, statically linked. test-windows runs its unit tests and tests/windows under wine
# (beside the Linux program of the dev preset, which it builds first).
windows: deps
	@cmake --preset windows >/dev/null
	@cmake --build --preset windows -j $(JOBS) --target s7log windows_zip

test-windows: build
	@cmake --preset windows >/dev/null
	@cmake --build --preset windows -j $(JOBS) --target all windows_zip
	@export TZ=$${TZ:-Europe/Copenhagen} WINEPREFIX=$(CURDIR)/build/windows/wine; \
	  scripts/wine-run --server; \
	  (cd build/windows && ctest --output-on-failure -j $(JOBS) --timeout 600 \
	    -L 'unit|fuzz_regression|windows'); rc=$$?; wineserver -k; exit $$rc

demo: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target s7log
	@./build/release/apps/s7log/s7log demo

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

bench: deps
	@bash bench/run.sh

# The plant benchmark (bench/plant.py): 100 fake PLCs x 1,000 tags at 1 s for 5 minutes, 1 PLC x
# 10,000 tags at 100 ms, one PLC of three dead or 2 s late, and nodes7 on the same loads.
bench-plant: deps
	@cmake --preset release >/dev/null && cmake --build build/release -j $(JOBS) --target s7log
	@cd bench/npm && npm_config_nodedir=/usr npm ci --no-audit --no-fund >/dev/null
	@python3 bench/plant.py --case plant --case big --case isolation --case plant-nodes7 --case big-nodes7

# The network outputs benchmark (bench/outputs.py): PostgreSQL and MQTT deliveries beside psql \copy
# and mosquitto_pub on the same data, then the plant of bench-plant into CSV, PostgreSQL and MQTT
# at once for 2 minutes (private postgres and mosquitto on loopback; results in build/).
bench-outputs: deps
	@cmake --preset release >/dev/null && cmake --build build/release -j $(JOBS) --target s7log s7log_sink_throughput
	@python3 bench/outputs.py --json build/bench-outputs.json

# `s7log symbols` on generated TIA sources of 1,000 to 100,000 members (bench/symbols.py).
bench-symbols: deps
	@cmake --preset release >/dev/null && cmake --build build/release -j $(JOBS) --target s7log
	@python3 bench/symbols.py

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

clean:
	@rm -rf build
