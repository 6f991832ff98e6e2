# genre-lab: the two commands that matter are `make report` and `make test`;
# each does all set-up on a fresh machine first.
#
# `make report` runs the notebook's steps through make rules: each step's target is a stamp
# file under the artifacts folder (`artifacts/.make/02-wav`), made after the step succeeds,
# that depends on the stamps of the steps it reads, on the step's built binary, and on the
# configuration file. A second `make report` therefore only reruns what changed: a rebuilt
# step, a new CONFIG, another FMA_DIR, or a step whose inputs were remade.

SWIFT   ?= swift
CONFIG  ?= config/default.toml
# An FMA download to use instead of the demo: FMA_DIR=~/fma make report
FMA_DIR ?=
export FMA_DIR
# Where the step binaries are: `swift build -c release` puts them here. The pipeline test
# points BIN at its own debug build and runs `make steps` in a scratch folder.
BIN     ?= .build/release

STEP_ARGS := --config $(CONFIG)

# Release builds are compiled for this machine's processor, as C's -march=native: the
# spectral loops work on vectors of eight floats, which baseline x86-64 splits into two SSE
# halves and an AVX2 processor runs whole (the features run about 20 % faster). For a binary
# that runs on any x86-64: `make build TARGET_CPU=`.
TARGET_CPU ?= native
RELEASE := -c release $(if $(TARGET_CPU),-Xswiftc -target-cpu -Xswiftc $(TARGET_CPU) -Xcc -march=$(TARGET_CPU))

# A key of the configuration's [paths] section (steps resolve it against the working folder),
# or the default when the file does not set it: config/ci.toml puts its artifacts in artifacts/ci.
config_path = $(or $(shell awk -F '"' '/^[[:space:]]*\[/ { section = $$0 } \
    section ~ /^\[paths\]/ && $$1 ~ /^[[:space:]]*$(1)[[:space:]]*=/ { print $$2 }' $(CONFIG) 2>/dev/null),$(2))
ART    := $(call config_path,artifacts,artifacts)
REPORT := $(call config_path,report,report)
STAMP  := $(ART)/.make

.PHONY: all setup build test report steps bench clean FORCE

all: report

## setup: install the system libraries (apt), if missing, and musicnn's pretrained weights
setup:
	@scripts/setup.sh

## build: release build of every step
build: setup
	$(SWIFT) build $(RELEASE)

## test: the test suite (debug build)
test: setup
	$(SWIFT) test

## report: run the notebook, step by step, on the demo data (or on $FMA_DIR)
# A second make, so that the step rules see the binaries the build just made.
report: build
	@$(MAKE) --no-print-directory steps

## steps: the step rules alone, on binaries already built in $(BIN)
steps: $(REPORT)/index.md
	@echo "The report: $(REPORT)/index.md"

# Runs the step the target is named after (`$(STAMP)/02-wav` runs `step02-wav`), then marks it done.
define run-step
@echo "== step$(notdir $@)"
$(BIN)/step$(notdir $@) $(STEP_ARGS)
@mkdir -p $(@D) && touch $@
endef

# FMA_DIR as a file that changes only when the variable does, so that pointing at another
# download reruns step 00 and everything after it.
$(STAMP)/source: FORCE
	@mkdir -p $(@D)
	@echo '$(FMA_DIR)' | cmp -s - $@ || echo '$(FMA_DIR)' > $@

# The pretrained checkpoints present under models/, likewise: adding MobileNetV2's weights
# reruns step 07 (an unpacked archive keeps old file times, so the files' own times would not).
$(STAMP)/weights: FORCE
	@mkdir -p $(@D)
	@find models -name '*.index' 2>/dev/null | sort | cmp -s - $@ || find models -name '*.index' 2>/dev/null | sort > $@

$(STAMP)/00-data:      $(STAMP)/source     $(BIN)/step00-data      $(CONFIG) ; $(run-step)
$(STAMP)/01-metadata:  $(STAMP)/00-data     $(BIN)/step01-metadata  $(CONFIG) ; $(run-step)
$(STAMP)/02-wav:       $(STAMP)/01-metadata $(BIN)/step02-wav       $(CONFIG) ; $(run-step)
$(STAMP)/03-tfrecords: $(STAMP)/02-wav      $(BIN)/step03-tfrecords $(CONFIG) ; $(run-step)
# Step 03 resumes from the shards on disk; once it has completed, make reruns it only because
# its inputs or its code changed, and then every shard must be written again.
$(STAMP)/03-tfrecords: private STEP_ARGS += $(if $(wildcard $(STAMP)/03-tfrecords),--rewrite)
$(STAMP)/04-splits:    $(STAMP)/03-tfrecords $(BIN)/step04-splits   $(CONFIG) ; $(run-step)
# The three model steps each read the records and the splits, not each other.
$(STAMP)/05-classical: $(STAMP)/04-splits   $(BIN)/step05-classical $(CONFIG) ; $(run-step)
$(STAMP)/06-raw-cnn:   $(STAMP)/04-splits   $(BIN)/step06-raw-cnn   $(CONFIG) ; $(run-step)
$(STAMP)/07-transfer:  $(STAMP)/04-splits $(STAMP)/weights $(BIN)/step07-transfer $(CONFIG) ; $(run-step)

# The report reads every step's artifacts; index.md is its own target.
$(REPORT)/index.md: $(addprefix $(STAMP)/,04-splits 05-classical 06-raw-cnn 07-transfer) $(BIN)/step08-report $(CONFIG)
	@echo "== step08-report"
	$(BIN)/step08-report $(STEP_ARGS)

# A binary that is not there: say how to make it rather than "no rule to make target".
$(BIN)/step%:
	@echo "$@ is missing: run 'make build' (or 'swift build -c release') first." >&2; exit 1

## bench: side-by-side timings against the Python peers, printed as a table
bench: build
	bench/run.sh

## clean: remove build products and artifacts (the demo data, downloads and report/ stay)
clean:
	rm -rf .build artifacts
