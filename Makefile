# patscape — everything a fresh machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= $(if $(PATSCAPE_SHARED),$(PATSCAPE_SHARED),../shared)
DEMO_DIR ?= demo
DEMO_DB := $(DEMO_DIR)/patscape.duckdb

.PHONY: install system-deps demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(BIN)/pip install -q -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import patscape, duckdb, lxml, psycopg"
	touch $@

install: $(VENV)/.installed

system-deps:
	bash .ci/system-deps

# The demo corpus: every office XML format, and the exports analysts download (Google Patents, Lens, CSET).
DEMO_INPUTS = \
	go_uspto_testdata patentsview_db_fixtures/ipgxml \
	uspto_patentpublicdata_samples/greenbook uspto_patentpublicdata_samples/sgml \
	uspto_patentpublicdata_samples/pap uspto_patentpublicdata_samples/xml2004 \
	uspto_patentpublicdata_samples/xml2006 uspto_patentpublicdata_samples/xml2014 \
	uspto_patentpublicdata_samples/xmlApp2004 \
	go_epo_eps_testdata go_epo_bdds_docdb_testdata/epo_docdb epo_ops_patent_client \
	cn_jp_st36_st96_examples \
	gp_ai_patents_cpc lens_covid_jsonl cset_1790_ai_patents

demo: install system-deps
	@test -d "$(SHARED)/data" || { echo "shared data not found at $(SHARED)/data (set PATSCAPE_SHARED)"; exit 1; }
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/patscape ingest --db $(DEMO_DB) $(addprefix $(SHARED)/data/,$(DEMO_INPUTS))
	$(BIN)/patscape enrich --db $(DEMO_DB)
	$(BIN)/patscape classify --db $(DEMO_DB)
	$(BIN)/patscape eval --db $(DEMO_DB) --labels $(SHARED)/labels/dev.jsonl --cv 5 --shared $(SHARED) > /dev/null
	$(BIN)/patscape report --db $(DEMO_DB) --out $(DEMO_DIR)/report --title "Generative AI patent landscape (demo corpus)"
	@echo "demo database: $(abspath $(DEMO_DB))"
	@echo "landscape report: $(abspath $(DEMO_DIR)/report/report.html) and report.pdf"

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: install lint
	PATSCAPE_SHARED="$(abspath $(SHARED))" $(BIN)/pytest -q

bench: install
	PATSCAPE_SHARED="$(abspath $(SHARED))" $(BIN)/python bench/ingest.py
	PATSCAPE_SHARED="$(abspath $(SHARED))" $(BIN)/python bench/landscape.py
	PATSCAPE_SHARED="$(abspath $(SHARED))" $(BIN)/python bench/classify.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .ruff_cache
