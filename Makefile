# Orrery: deterministic simulation and model checking of distributed protocols.
GO        ?= go
SEED      ?= 42
PROTOCOL  ?= raft
# Packages whose code runs inside a simulation, and randhook (one process-wide
# reader shared by concurrent worlds): always tested under the race detector.
ENGINE_PKGS = ./sim/... ./scheduler/... ./traces/... ./faults/... ./randhook/...

.PHONY: build run test test-examples test-long test-race bench bench-lin bench-explore sweep lint rewrite fuzz bugbench

build:
	$(GO) build -o bin/simrun ./cmd/simrun

run: build
	./bin/simrun -protocol $(PROTOCOL) -seed $(SEED)

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 $(ENGINE_PKGS)
	$(GO) test -count=1 ./...
	$(MAKE) test-examples

# Examples with modules of their own (etcd's raft stays out of the main module).
test-examples:
	cd examples/etcdraft && $(GO) vet ./... && $(GO) test -count=1 ./...

# Long searches, too slow for make test (minutes each): tests named TestLong...
# in files built with the long tag.
test-long:
	$(GO) test -count=1 -tags long -run '^TestLong' ./...

test-race:
	$(GO) test -race -count=1 ./...

# lint: go vet, then the determinism analyzer (lint/determinism) over the simulation
# packages (internal/lint), on its own testdata, and as cmd/orrerylint under go vet.
lint:
	$(GO) vet ./...
	$(GO) test -count=1 ./internal/lint/... ./lint/... ./cmd/orrerylint/...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

bench-lin:
	cd tools/bench/linearizability && $(GO) run . $(BENCH_LIN_FLAGS)

# bench-explore compares the checker with SPIN when spin and gcc are installed;
# it installs the Debian packages first when it can (root with apt-get).
bench-explore:
	@command -v spin >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends spin gcc >/dev/null; } || \
	  echo "bench-explore: spin not installed (apt-get install spin gcc); running without SPIN"
	$(GO) run ./tools/bench/explore $(BENCH_EXPLORE_FLAGS)

sweep: build
	./bin/simrun -protocol $(PROTOCOL) -seeds 1-20000

rewrite:
	ORRERY_REWRITE=1 $(GO) test ./...

# fuzz runs every fuzz target of the main module (every parser has one) for
# FUZZTIME each; new inputs that fail land in the package's testdata/fuzz.
FUZZTIME ?= 10s
fuzz:
	@for f in $$(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v '^./examples/etcdraft/' | sort); do \
		dir=./$$(dirname $${f#./}); \
		for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | sed 's/^func //'); do \
			echo "fuzz $$dir $$t ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$dir || exit 1; \
		done; \
	done

bugbench:
	$(GO) run ./tools/bench/bugbench $(BUGBENCH_FLAGS)
