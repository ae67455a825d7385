# Two commands do everything on a fresh machine with python3 and make:
#   make report   build the HTML report from the bundled seeds into reports/
#   make test     run the whole test suite, notebooks included
PY    ?= python3
# MODELS=0 installs the core package only (no torch); TORCH names the torch to
# install first: torch==2.13.0 is a CPU build on this project's machines, elsewhere
# use PyTorch's CPU-only wheel index (see README) so pip does not fetch a CUDA build.
MODELS ?= 1
TORCH ?= torch==2.13.0
comma := ,
EXTRAS := $(if $(filter 1,$(MODELS)),dev$(comma)dask$(comma)models,dev$(comma)dask)
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install report test lab clean bench

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(if $(filter 1,$(MODELS)),$(BIN)/python -m pip install -q '$(TORCH)')
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/researchlib report --out reports

test: $(STAMP)
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest -p no:cacheprovider --nbval-lax notebooks

lab: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter lab

bench: $(STAMP)
	$(BIN)/python benchmarks/report_speed.py
	$(BIN)/python benchmarks/terms_speed.py
	$(BIN)/python benchmarks/bench_pipeline.py

clean:
	rm -rf reports .pytest_cache .researchlib-cache
