# The course's two commands:  make course  (run every lesson)  and  make test  (pass the tests).
# Both create .venv and install requirements.txt into it when missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# A local MNIST copy next to the project (as on the course's own machines) is used when present;
# otherwise the loader downloads and verifies the files into ~/.keras/datasets/mnist-idx.
COURSE_DATA_DIR ?= $(wildcard $(CURDIR)/../shared/data/mnist)
export COURSE_DATA_DIR

.PHONY: course course-full regenerate test test-browser lint format exercises lab benchmark clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

course: $(STAMP)  ## run every lesson with the quick profile (about 5 minutes on 2 CPU cores)
	$(BIN)/python -m course_utils run --profile quick --output build/course-quick

course-full: $(STAMP)  ## run every lesson with the full settings; reproduces the course's numbers
	$(BIN)/python -m course_utils run --profile full --output build/course-full

regenerate: $(STAMP)  ## re-execute the stored notebooks in place (full settings)
	$(BIN)/python -m course_utils regenerate

# The quick course runs once (into build/course-quick); its results, report and executed copies
# feed the runner checks and the nbval-style comparisons with the stored outputs.
# pytest-randomly runs the tests in a new random order each time and prints the seed: repeat an
# order with  make test PYTEST_ARGS=--randomly-seed=N
test: $(STAMP)  ## unit tests, notebook checks, and one quick course run compared with the stored outputs
	$(BIN)/python -m course_utils format --check
	$(BIN)/python -m pytest tests -p no:cacheprovider $(PYTEST_ARGS)

# Needs PyPI and Python 3.13 (Colab's; found on PATH, under pyenv, or given as COLAB_PYTHON=/path/to/python3.13).
.PHONY: test-colab
test-colab: $(STAMP)  ## Colab parity: the Colab cell changes no Colab package; every lesson runs on Colab's versions
	COURSE_COLAB_CHECKS=1 $(BIN)/python -m pytest tests/test_colab.py -p no:cacheprovider
	$(BIN)/python -m course_utils colab-parity --output build/colab-parity --venv build/colab-venv
.PHONY: test-nbgrader
test-nbgrader: $(STAMP)  ## nbgrader releases and autogrades every lesson (solution: full marks, unfinished: zero)
	COURSE_AUTOGRADE=all $(BIN)/python -m pytest tests/test_nbgrader.py -p no:cacheprovider
test-browser: $(STAMP)  ## every lesson, the live figure and the drawing pad in JupyterLab + Chromium (apt-get install chromium)
	$(BIN)/python -c "import playwright" 2>/dev/null || $(BIN)/python -m pip install -q "playwright>=1.45,<2"
	$(BIN)/python -m pytest tests/browser -m "browser and not site" -p no:cacheprovider -p no:randomly -rP

# The website: Sphinx + myst-nb + sphinx-book-theme, from requirements-site.txt (installed into the same .venv).
SITE_STAMP := $(VENV)/.site-installed
SITE_PORT ?= 8000
.PHONY: site serve-site test-site

$(SITE_STAMP): $(STAMP) requirements-site.txt
	$(BIN)/python -m pip install -q -r requirements-site.txt
	touch $(SITE_STAMP)

site: $(SITE_STAMP)  ## the website, English and Spanish, from the stored notebooks into build/site (warnings are errors)
	$(BIN)/python -m course_utils site --output build/site

serve-site:  ## serve build/site on http://127.0.0.1:$(SITE_PORT) (builds it first when it is missing)
	test -f build/site/index.html || $(MAKE) site
	$(BIN)/python -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory build/site

test-site: site  ## the website's HTML tests, then home, lesson, search, languages and axe in Chromium
	$(BIN)/python -m pytest tests/test_site.py tests/browser/test_site.py -m site --site build/site -p no:cacheprovider

lint: $(STAMP)  ## check notebook format and ruff, changing nothing
	$(BIN)/python -m course_utils format --check

format: $(STAMP)  ## canonicalise notebooks and fix what ruff can
	$(BIN)/python -m course_utils format

exercises: $(STAMP)  ## the learner edition, with solutions blanked out
	$(BIN)/python -m course_utils exercises

lab: $(STAMP)  ## open the course in JupyterLab
	$(BIN)/jupyter lab notebooks/

benchmark: $(STAMP)  ## time loading MNIST from a warm local copy
	$(BIN)/python benchmarks/load_mnist.py

clean:
	rm -rf build $(VENV)
