# Two commands do everything on a fresh machine with python3 and make:
#   make report   build the HTML report of the bundled study (data/study.yaml) into reports/
#   make test     run the whole test suite, notebooks included
# make report installs the core package only (no torch); make MODELS=1 report adds the
# optional "news" sentiment model. make test installs the test tools and the models extra
# (make MODELS=0 test: without it). make lab opens JupyterLab (LAB_ARGS="--port 8889 ...").
PY    ?= python3
# TORCH names the torch installed before the models extra: torch==2.13.0 is a CPU build on
# this project's machines; elsewhere use PyTorch's CPU-only wheel index (see README) so pip
# does not fetch a multi-GB CUDA build.
TORCH ?= torch==2.13.0
MODELS ?=
LAB_ARGS ?=
VENV  := .venv
BIN   := $(VENV)/bin
# One stamp per installed part (core, dev, dask, models), so a later target installs only
# what is missing: `make report` then `make test` adds dev, dask and models.
# $(STAMP) lists the parts installed so far (one per line).
STAMP := $(VENV)/.installed-stamp
part   = $(VENV)/.installed-part-$(1)
REPORT_PARTS := core $(if $(filter 1,$(MODELS)),models)
TEST_PARTS   := core dev dask $(if $(filter 0,$(MODELS)),,models)
ROOT_FLAG    := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install report test lab clean bench
# pip must not run twice at once in one venv
.NOTPARALLEL:
.PRECIOUS: $(VENV)/.installed-part-%

install: $(foreach p,$(REPORT_PARTS),$(call part,$(p)))

$(VENV)/.installed-part-%: pyproject.toml
	test -x $(BIN)/python || { $(PY) -m venv $(VENV) && $(BIN)/python -m pip install -q --upgrade pip; }
	$(if $(filter models,$*),$(BIN)/python -m pip install -q '$(TORCH)')
	$(BIN)/python -m pip install -q -e '.$(if $(filter core,$*),,[$*])'
	touch $@
	{ cat $(STAMP) 2>/dev/null; echo $*; } | sort -u > $(STAMP).tmp && mv $(STAMP).tmp $(STAMP)

report: $(foreach p,$(REPORT_PARTS),$(call part,$(p)))
	$(BIN)/researchlib report --study data/study.yaml --out reports

# One pytest run on two worker processes (pytest-xdist): the tests and the notebooks
# (nbval executes every cell of every notebook, as JupyterLab would; -lax: outputs not compared).
# --dist loadfile: the tests of one file (which may share a built report) and the cells of one
# notebook (which share its kernel) run on one worker, files in the order of tests/conftest.py.
test: $(foreach p,$(TEST_PARTS),$(call part,$(p)))
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder -p no:cacheprovider --nbval-lax tests notebooks

lab: $(foreach p,$(REPORT_PARTS),$(call part,$(p)))
	cd notebooks && ../$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS)

bench: $(foreach p,core dev dask,$(call part,$(p)))
	$(BIN)/python benchmarks/report_speed.py
	$(BIN)/python benchmarks/terms_speed.py
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/report_any_corpus.py

clean:
	rm -rf reports .pytest_cache .researchlib-cache
