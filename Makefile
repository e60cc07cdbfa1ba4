# lifeboat: `make demo` to look around, `make test` to check everything.
GO      ?= go
BIN     := bin/lifeboat
FUZZTIME ?= 5s

.PHONY: build test demo bench lint deps fuzz demo-gif clean versitygw

# The real S3 server of the off-site tests (issue 20), built once into a
# cache; the tests read LIFEBOAT_VERSITYGW and fail, never skip, without it.
VERSITYGW_VERSION := v1.8.0
export LIFEBOAT_VERSITYGW ?= $(HOME)/.cache/lifeboat/versitygw-$(VERSITYGW_VERSION)/versitygw

build:
	$(GO) build -o $(BIN) ./cmd/lifeboat

# Installs MariaDB (tmux for the screen test, systemd for systemd-analyze verify of the schedule units) when missing.
deps:
	@bash .ci/ensure-deps mariadb-server mariadb-client tmux systemd age

versitygw:
	@test -x "$(LIFEBOAT_VERSITYGW)" || { \
		tmp=$$(mktemp -d) && echo "building versitygw $(VERSITYGW_VERSION) into $(LIFEBOAT_VERSITYGW) (once)" && \
		GOBIN=$$tmp GOFLAGS= $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION) && \
		mkdir -p "$$(dirname "$(LIFEBOAT_VERSITYGW)")" && mv $$tmp/versitygw "$(LIFEBOAT_VERSITYGW)" && rmdir $$tmp; }

test: deps lint versitygw
	$(GO) test -count=1 -timeout 40m ./...
	$(MAKE) fuzz

# Each fuzz target runs briefly; go test -fuzz takes one target at a time.
# On a loaded machine the fuzz harness itself can give up ("context deadline
# exceeded") without finding anything; a crash always leaves its input in
# testdata/fuzz, so re-running the corpus tells the two apart.
FUZZ_TARGETS = FuzzSplit:./engine/sqlsplit FuzzParseOptionFile:./config \
	FuzzReadManifest:./engine/catalog FuzzReadProjectBackup:./engine/project \
	FuzzGate:./engine/sqlsplit

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		name=$${t%%:*}; pkg=$${t#*:}; \
		echo "$(GO) test -run '^$$' -fuzz '^$$name$$' -fuzztime $(FUZZTIME) $$pkg"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg && continue; \
		echo "$$name stopped early: re-running its corpus to tell a crash from a harness timeout"; \
		$(GO) test -count=1 -run "^$$name\$$" $$pkg || exit 1; \
	done

demo: deps build
	./$(BIN) demo

# SCALE=10 runs the same shapes at 10x (about 3.6 GiB of SQL) and compares
# time per GB and peak RSS with the last SCALE=1 run (issue 19).
SCALE ?= 1
bench: build versitygw
	@bash .ci/ensure-deps mariadb-server mariadb-client mydumper
	$(GO) run ./cmd/lifeboat-bench -lifeboat ./$(BIN) -scale $(SCALE)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

demo-gif: build
	@command -v vhs >/dev/null || { echo "demo-gif needs vhs (https://github.com/charmbracelet/vhs)"; exit 1; }
	vhs demo.tape

clean:
	rm -rf bin
