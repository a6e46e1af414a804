# Panya: the two commands of the README.
#   make run   set up .venv, ingest corpora/ into the embedded store, serve the UI and API
#   make test  set up .venv with test tools (and Debian's chromium), lint and type-check, run the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export PYTHAINLP_OFFLINE := 1
export DO_NOT_TRACK := 1

.PHONY: run test install install-test system-deps serve ingest lint clean

run: install ingest serve

ingest: install
	$(BIN)/panya ingest corpora

serve: install
	$(BIN)/panya serve

test: install-test system-deps lint
	$(BIN)/python -m pytest

# ruff (lint and format) and mypy on the project's packages: a failure fails `make test`
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install --quiet -r requirements-test.lock
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

clean:
	rm -rf $(VENV) data
