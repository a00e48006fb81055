# rational-mcp build, test and run targets. `make test` runs everything CI
# runs; `make demo` starts the HTTP server on the built-in simulator.

GO            ?= go
BIN           ?= bin/rational-mcp
STATICCHECK   ?= $(shell $(GO) env GOPATH)/bin/staticcheck
STATICCHECK_VERSION := v0.8.2
DEMO_ADDR     ?= 127.0.0.1:8787
# File that `make bench` writes the benchmark table to, as JSON.
BENCH_JSON    ?= bench.json
# How many inputs each fuzz target runs in `make fuzz-smoke`. A count, not a
# duration: on Go 1.26 a duration-based -fuzztime can fail with "context
# deadline exceeded" when the deadline races the fuzzing coordinator's
# shutdown, with no failing input found.
FUZZTIME      ?= 30000x

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: all build test test-go test-clients fuzz-smoke lint tools demo clean bench bench-smoke

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/rational-mcp

## test: lint, Go tests with the race detector, fuzz smoke, a one-pass
## benchmark run so the harness cannot rot, and the real MCP clients.
test: lint test-go fuzz-smoke bench-smoke test-clients

test-go:
	$(GO) test -race -count=1 -timeout 20m ./...

# Runs every fuzz target briefly on its committed corpus plus new inputs.
fuzz-smoke:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

test-clients: build
	RATIONAL_MCP_BIN=$(CURDIR)/$(BIN) bash testdata/clients/run.sh

lint: tools
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

tools:
	@test -x $(STATICCHECK) || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

## demo: the streamable HTTP server on the built-in Control Room simulator.
demo: build
	$(BIN) http --demo --addr $(DEMO_ADDR)

## bench: build, then measure start-up, latency, throughput, memory,
## tokens and scale; prints one table and writes it to $(BENCH_JSON).
bench: build
	$(GO) run ./internal/bench/cmd/benchtable -bin $(BIN) -json $(BENCH_JSON)

# Runs the benchmark harness and every Go benchmark once with minimal
# counts, so that neither breaks unnoticed. The figures mean nothing.
bench-smoke: build
	$(GO) run ./internal/bench/cmd/benchtable -bin $(BIN) -smoke -json $${TMPDIR:-/tmp}/rational-mcp-bench-smoke.json > /dev/null
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...

clean:
	rm -rf bin
