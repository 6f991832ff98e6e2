# genre-lab: the two commands that matter are `make report` and `make test`;
# each does all set-up on a fresh machine first.

SWIFT   ?= swift
CONFIG  ?= config/default.toml
# An FMA download to use instead of the demo: FMA_DIR=~/fma make report
FMA_DIR ?=
export FMA_DIR

RELEASE := .build/release
STEP_ARGS := --config $(CONFIG)

.PHONY: all setup build test report bench clean steps

all: report

## setup: install the system libraries (apt), if missing
setup:
	@scripts/setup.sh

## build: release build of every step
build: setup
	$(SWIFT) build -c release

## test: the test suite (debug build)
test: setup
	$(SWIFT) test

## report: run the notebook, step by step, on the demo data (or on $FMA_DIR)
report: build
	$(RELEASE)/step00-data $(STEP_ARGS)
	$(RELEASE)/step01-metadata $(STEP_ARGS)
	$(RELEASE)/step02-wav $(STEP_ARGS)
	$(RELEASE)/step03-tfrecords $(STEP_ARGS)
	$(RELEASE)/step04-splits $(STEP_ARGS)

## bench: side-by-side timings against the Python peers, printed as a table
bench: build
	bench/run.sh

## clean: remove build products and artifacts (the demo data and downloads stay)
clean:
	rm -rf .build artifacts
