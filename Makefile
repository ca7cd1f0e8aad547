# VidStream: `make run` and `make test` install whatever is missing, then do their job.
SHELL := /bin/bash
CACHE_DIR ?= $(or $(VIDSTREAM_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vidstream)
VENV ?= $(or $(VIDSTREAM_VENV),$(CACHE_DIR)/venv)
export VIDSTREAM_VENV := $(VENV)
export VIDSTREAM_CACHE := $(CACHE_DIR)
export VIDSTREAM_BIN_DIR := $(CACHE_DIR)/bin
PY := $(VENV)/bin/python
# GUI runs need a display; on a headless machine wrap them in Xvfb.
XVFB := $(if $(DISPLAY),,xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp")
PYTEST_ARGS ?=

.PHONY: setup run test soak lint bench screenshot package clean-cache

setup:
	@bash tools/install_system_packages.sh
	@bash tools/build_mediamtx.sh
	@bash tools/build_minio.sh
	@bash tools/setup_venv.sh

run: setup
	@$(if $(DISPLAY),,echo "No DISPLAY: starting the app inside Xvfb (headless).";)
	$(XVFB) $(VENV)/bin/vidstream-desktop

# Headless and server tests in one pytest run; the soak in a process of its own (it measures this
# process's Python heap, and what earlier tests leave behind was counted: a one-time 3.8 MiB step after
# ~500 s in the shared run, none in a run of its own); then each GUI test file (libvlc, Qt) in a process
# of its own, so native video windows left by one file can never crash another. Any run failing (or
# collecting nothing) fails make.
TEST_SOAK_SECONDS ?= 300
GUI_TEST_FILES := $(shell grep -l "pytest.mark.gui" tests/*/test_*.py)
test: setup
	@bash tools/setup_test_camera.sh
	$(XVFB) $(PY) -m pytest -m "not gui" --deselect tests/faults/test_soak.py --durations=20 $(PYTEST_ARGS)
	VIDSTREAM_SOAK_SECONDS=$(TEST_SOAK_SECONDS) $(XVFB) $(PY) -m pytest -m "not gui" tests/faults/test_soak.py $(PYTEST_ARGS)
	@for file in $(GUI_TEST_FILES); do \
		echo "== $$file"; $(XVFB) $(PY) -m pytest -m gui $$file $(PYTEST_ARGS) || exit 1; \
	done

# The long soak (30 minutes by default; `make test` runs a 5-minute one), its numbers kept in bench/results.
SOAK_SECONDS ?= 1800
soak: setup
	VIDSTREAM_SOAK_SECONDS=$(SOAK_SECONDS) VIDSTREAM_SOAK_RESULTS=bench/results $(PY) -m pytest tests/faults/test_soak.py $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: setup
	@bash tools/setup_bench_venv.sh
	$(XVFB) $(PY) -m bench

screenshot: setup
	$(if $(DISPLAY),,xvfb-run -a -s "-screen 0 1440x900x24") $(VENV)/bin/vidstream-desktop --demo --record-all \
		--screenshot resources/screenshots/wall.png --wait 9

package: setup
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installer/vidstream.spec
	tar -C dist -czf dist/vidstream-linux-x86_64.tar.gz vidstream
	@echo "Bundle: dist/vidstream (and dist/vidstream-linux-x86_64.tar.gz); run dist/vidstream/vidstream-desktop"

clean-cache:
	rm -rf "$(CACHE_DIR)"
