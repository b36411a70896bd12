# Two commands for a fresh clone:  `make start` (set up, build the site, list the
# exercises) and `make test` (set up, run every test). Everything else is a helper.
VENV ?= .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
STAMP := $(VENV)/.installed-stamp
# torch and torchvision first, pinned to the releases the kit is tested with.
TORCH_SPEC ?= torch==2.14.1 torchvision==0.29.1

.PHONY: start test test-fast lint test-load gpu-check system serve site dev-check bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(TORCH_SPEC)
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

system:
	@bash scripts/install-system-packages.sh

start: $(STAMP) system
	$(VENV)/bin/mkdocs build --strict  # no --quiet: it hides the warnings --strict counts
	$(VENV)/bin/grader list
	@echo "Next: $(VENV)/bin/grader check exercise-01   (make serve shows the site on http://127.0.0.1:8000)"

test: $(STAMP) system
	$(PY) -m pytest

# The inner loop: everything but the tests marked slow (grading in the sandbox, nbgrader,
# mkdocs, the browser; see the `slow` marker in pyproject.toml). `make test` runs them all.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check .

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve -a 127.0.0.1:8000

dev-check: $(STAMP)
	$(VENV)/bin/grader dev check

# Same seed, same report on a busy machine: every reference and stub, graded quietly, then
# again beside busy loops on every core; any difference fails (CI runs it with RUNS=1).
RUNS ?= 5
test-load: $(STAMP) system
	$(PY) scripts/verdicts_under_load.py --runs $(RUNS) --busy 2

# On a machine with CUDA: every exercise with --device cuda (nccl for exercise 09 with two
# GPUs). Without CUDA it says so and exits 0.
gpu-check: $(STAMP)
	$(PY) scripts/gpu_check.py

bench: $(STAMP)
	$(PY) benchmarks/check_latency.py

clean:
	rm -rf $(VENV) site test-artifacts
