# peersupport: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Email links point at the port the server listens on, unless SITE_URL says otherwise.
DEV := DEBUG=1 SITE_URL=$(or $(SITE_URL),http://127.0.0.1:$(PORT))

.PHONY: run test lint format check stop bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(DEV) $(BIN)/python manage.py compile_catalogues -v0
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py seed_demo
	$(DEV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(DEV) $(BIN)/python manage.py rundev --port $(PORT)

test: $(VENV)/.installed
	$(DEV) $(BIN)/python manage.py compile_catalogues -v0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(VENV)/.installed
	$(DEV) $(BIN)/python manage.py check
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV) $(BIN)/python manage.py doctor

# Update every catalogue with the strings marked in code and templates (needs GNU
# gettext: `apt-get install gettext`). See README, "Languages".
MESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=bench --ignore=devdata \
	--ignore=staticfiles --ignore=.local --ignore=node_modules
messages: $(VENV)/.installed
	$(DEV) $(BIN)/python manage.py makemessages --all --extension=html,txt,py \
		--add-location=file --no-obsolete $(MESSAGES_IGNORE)

stop:
	-$(BIN)/python -m peersupport.embedded stop

clean: stop
	rm -rf .local staticfiles

# --- Reliability (issue 14): backups and the soak run. See README "Reliability". -----
.PHONY: backup restore soak

# The embedded default (no DATABASE_URL) is for development: DEBUG=1 uses its own key.
EMBEDDED_DEV := $(if $(DATABASE_URL),,$(DEV))

backup: $(VENV)/.installed
	$(EMBEDDED_DEV) $(BIN)/python manage.py backup $(if $(FILE),--output $(FILE))

restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/peersupport-....dump"; exit 2; }
	$(EMBEDDED_DEV) $(BIN)/python manage.py restore $(FILE) --yes

soak: $(VENV)/.installed
	$(BIN)/python bench/soak.py

# --- Performance at scale (issue 13): pages over seed_scale data vs a bare view. -----
# Needs DATABASE_URL pointing at a database filled by `manage.py seed_scale`; see
# bench/README.md. BENCH_SECONDS=3 for a smoke run. Installs nothing.
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py
