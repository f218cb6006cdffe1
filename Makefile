# The two commands of the README: `make run` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
FLASK   = $(VENV)/bin/flask --app intranet

.PHONY: run test install system-deps translations extract-messages migrate db demo bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

# Compiled catalogues are build output (git-ignored), compiled on every run and test.
translations: $(VENV)/.installed
	@for dir in $$(find intranet plugins -path '*/translations/*/LC_MESSAGES/messages.po' | sed 's|/[^/]*/LC_MESSAGES/messages.po||' | sort -u); do \
	  $(VENV)/bin/pybabel compile -d $$dir || exit 1; \
	done

db: install
	$(FLASK) db upgrade heads
	$(FLASK) init

demo: db
	$(FLASK) demo --if-empty

run: demo
	@echo
	@echo "Intranet at http://127.0.0.1:5000 — sign in with any of these (password demo1234):"
	@echo "  hanmei (system administrator), tangjie (IT administrator), zhangwei (employee),"
	@echo "  chenhao (R&D head), liuyang (vice president), wugang (finance manager); see README for all."
	@echo
	$(FLASK) run --host 127.0.0.1 --port 5000

# Debian packages the test suite needs (chromium, a CJK font, poppler, zbar, the
# PostgreSQL client), installed when missing; waits while another installation holds
# the package lock (see the script).
system-deps:
	@.ci/system-deps

test: install system-deps
	$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} --dist loadgroup $(PYTEST_ARGS)

# Refresh the zh_CN catalogues of the core and of every module from the source
# (a module without a catalogue gets one; headers stay as they are; see intranet/catalogues.py).
extract-messages: $(VENV)/.installed
	$(PY) -m intranet.catalogues

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
