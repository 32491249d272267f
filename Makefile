# stayform: `make run` (set up, train the default model if missing, process the sample inbox,
# start the review service) and `make test` (set up, lint, type-check, run the test suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
MODEL  := models/default
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test install lint typecheck corpus model bench browser dovecot axe locale clean

install: $(STAMP)

# torch first, pinned, so that nothing pulls the multi-GB CUDA wheels; `make run` needs only
# the package, `make test` adds the test tools and Ray (the extras are a few hundred MB that
# would otherwise delay a fresh `make run`)
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[test,ray]"
	touch $(TEST_STAMP)

corpus: $(STAMP)
	$(BIN)/stayform annotations build
	$(BIN)/python -m training.vocabulary data/corpus/train.jsonl

$(MODEL)/model.safetensors: | $(STAMP)
	$(BIN)/stayform train --preset quick --output $(MODEL)

model: $(MODEL)/model.safetensors

run: $(STAMP) $(MODEL)/model.safetensors
	@mkdir -p out
	@rm -f out/samples.jsonl
	$(BIN)/stayform batch data/samples/inbox.mbox --out out/samples.jsonl --queue
	@$(BIN)/python -m api.demo

# Debian's Chromium for the browser tests; installed when missing and we are root
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "chromium is missing: run 'sudo apt-get install chromium' (the browser tests need it)"; fi; }

# Debian's Dovecot IMAP server for the mailbox-pull tests (tests/api/dovecot.py starts a
# throw-away instance of it); installed when missing and we are root
dovecot:
	@{ command -v dovecot || test -x /usr/sbin/dovecot; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null); \
	  else echo "dovecot is missing: run 'sudo apt-get install dovecot-imapd' (the fetch tests need it)"; fi; }

# axe-core (npm) for the review page's accessibility test (tests/api/test_axe_browser.py),
# installed into build/axe: the test reads it from there, with no network at test time
AXE_JS := build/axe/node_modules/axe-core/axe.min.js
axe: $(AXE_JS)
$(AXE_JS):
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null); \
	  else echo "npm is missing: run 'sudo apt-get install npm' (the accessibility test needs it)"; fi; }
	npm install --prefix build/axe --no-audit --no-fund --no-save axe-core@4.14.1

# the review page's German catalogue (api/i18n.py): extract the marked strings of api/'s code
# and templates, merge them into de/messages.po (translate the new ones there), compile the
# .mo. Both are committed: tests/api/test_i18n.py fails when they fall behind the code.
LOCALE := api/locale
locale: $(STAMP)
	$(BIN)/pybabel extract -F $(LOCALE)/babel.cfg -k N_ --no-location --sort-output \
	  --project stayform --version 0.1.0 -o $(LOCALE)/messages.pot api
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -l de \
	  --no-fuzzy-matching --ignore-obsolete -w 100
	$(BIN)/pybabel compile -d $(LOCALE) -l de --statistics

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

test: $(TEST_STAMP) browser dovecot axe lint typecheck
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP) $(MODEL)/model.safetensors
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) out runs stayform.db
