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

# Refresh the zh_CN catalogues of the core and of every module from the source.
BABEL_EXTRACT = extract -k _l -k N_ -k label --no-location --sort-output --omit-header
extract-messages: $(VENV)/.installed
	$(VENV)/bin/pybabel $(BABEL_EXTRACT) -F babel.cfg -o intranet/translations/messages.pot .
	$(VENV)/bin/pybabel update --no-fuzzy-matching -i intranet/translations/messages.pot -d intranet/translations -l zh_Hans_CN
	@for dir in plugins/*/; do \
	  [ -f $$dir/__init__.py ] || continue; \
	  (cd $$dir && ../../$(VENV)/bin/pybabel $(BABEL_EXTRACT) -F ../babel.cfg -o translations/messages.pot . && \
	   if [ -f translations/zh_Hans_CN/LC_MESSAGES/messages.po ]; then \
	     ../../$(VENV)/bin/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations -l zh_Hans_CN; \
	   else ../../$(VENV)/bin/pybabel init -i translations/messages.pot -d translations -l zh_Hans_CN; fi) || exit 1; \
	done

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
