# autokg — `make demo` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
AUTOKG := $(BIN)/autokg
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo findings screenshots test test-all bench lint install install-test system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[suggest]'
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,bench,lint,suggest,inception]'
	@touch $@ $(VENV)/.installed

# The wheels of autokg's dependencies (and of its inception extra), fetched now, so that the
# tests install the built wheel into a fresh venv with what it declares, as a user's pip does,
# without the network (tests/test_packaging.py).
$(VENV)/wheelhouse/.complete: pyproject.toml | $(BIN)/python
	$(BIN)/pip download -q -d $(VENV)/wheelhouse '.[inception]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(VENV)/wheelhouse/.complete

# Debian packages the tests use: Chromium for the HTML views, rapper (raptor2-utils)
# as an independent RDF parser for exports, stress as the CPU burner that shows no test
# depends on timing (`stress --cpu 2` beside `make test`), Virtuoso (virtuoso-opensource-7-bin:
# the server and isql, no system service) as a second remote store.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v rapper >/dev/null 2>&1 || missing="$$missing raptor2-utils"; \
	command -v stress >/dev/null 2>&1 || missing="$$missing stress"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource-7-bin"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: install
	@$(AUTOKG) load examples/
	@echo; echo "== Who talked to whom"; $(AUTOKG) query who-talked-to-whom
	@echo; echo "== Tariffs"; $(AUTOKG) query tariffs
	@echo; echo "== Contested and denied claims"; $(AUTOKG) query contested-claims
	@echo; echo "== Reactions to policies"; $(AUTOKG) query reactions
	@echo; echo "== Investigations"; $(AUTOKG) query investigations
	@echo; echo "== The US Section 232 car tariff: life cycle and official records"; \
	  $(AUTOKG) query measures --param measure=us-section-232-auto-tariff --format md
	@echo; echo "== Brokers in the network"; $(AUTOKG) analyze brokers
	@echo; echo "== How Xiaomi connects to He Yadong"; $(AUTOKG) analyze path Xiaomi "He Yadong"
	@echo; echo "== The seed story's network view"
	@$(AUTOKG) --store memory --load examples/articles/2026-02-xiaomi-denies-ford-talks.yaml \
	  --registry examples/entities.yaml view --out .autokg/seed-view.html \
	  --title "autokg: the seed story (Xiaomi denies Ford talks)"
	@echo "Open $(CURDIR)/.autokg/seed-view.html in a browser (it works offline)."
	@echo; echo "The store is in .autokg/store; try: $(AUTOKG) queries"
	@echo "Explore it in a browser: $(AUTOKG) serve   (then open http://127.0.0.1:7878/; Ctrl-C stops it)"

# README "What the graph tells us": rerun every question on examples/, rewrite the section
# and docs/corpus-view.png (headless Chromium); tests/test_findings.py checks it stays current.
findings: install-test system-deps
	$(BIN)/python docs/what_the_graph_tells_us.py

# The explorer's screenshots in docs/ (shown in the README), taken by its browser tests.
screenshots: install-test system-deps
	AUTOKG_SCREENSHOTS=docs $(BIN)/pytest -q tests/test_explorer.py -k "claim_page or mofcom or graph_view"

test: install-test system-deps
	$(BIN)/pytest -q

test-all: install-test system-deps
	$(BIN)/pytest -q -m "slow or not slow"

bench: install-test
	$(BIN)/python bench/run.py
	$(BIN)/python bench/reliability.py
	$(BIN)/python bench/suggest.py
	$(BIN)/python bench/explorer.py
	$(BIN)/python bench/identity.py
	$(BIN)/python bench/incremental.py

lint: install-test
	$(BIN)/ruff check graph tests bench

clean:
	rm -rf .autokg build dist *.egg-info .pytest_cache
