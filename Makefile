# Build, test and convert the edition.  `make html` works on a fresh clone: it creates
# the virtual environment .venv and installs the project into it on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SPHINXOPTS ?= -E -W --keep-going -n
BUILDDIR := _build
SOURCES := $(wildcard sources/*.txt sources/*.yaml)
PAGES := $(patsubst sources/%.yaml,docs/documents/%.md,$(wildcard sources/*.yaml))

.PHONY: html test convert check-convert check serve clean distclean venv anchors bench

# The toolkit (package sphinx-scholarly-edition, MIT) is installed editable from ./ext in the
# same pip command as the edition's own dependencies (the root pyproject.toml, CC BY 4.0 texts).
$(BIN)/edition: pyproject.toml ext/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e './ext[test]' -e '.[test]'
	touch $(BIN)/edition

venv: $(BIN)/edition

# Pages are regenerated only when a source or the converter changed.
$(PAGES) &: $(SOURCES) $(wildcard ext/scholarly_edition/*.py) | $(BIN)/edition
	$(BIN)/edition convert

convert: $(BIN)/edition
	$(BIN)/edition convert

check-convert: $(BIN)/edition
	$(BIN)/edition convert --check

html: $(PAGES)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html -c . docs $(BUILDDIR)/html
	@echo "The edition is in $(BUILDDIR)/html/index.html"

# Validate every annotation file without a build (what CI and pre-commit run first).
check: $(BIN)/edition
	$(BIN)/edition check

# Preview while editing: rebuilds on every change and reloads the browser (http://127.0.0.1:8000).
serve: $(PAGES)
	$(BIN)/python -m pip install --quiet -e './ext[test]' -e '.[test,dev]'
	$(BIN)/sphinx-autobuild -c . --watch sources --watch ext --watch conf.py docs $(BUILDDIR)/serve

test: $(BIN)/edition
	$(BIN)/python -m pytest

# Build benchmark on a synthetic volume: edition against plain Sphinx, -j 1/2, incremental,
# peak RSS, `edition check` and `edition convert`.  `make bench N=800` for a whole FRUS volume.
N ?= 50 200
bench: $(BIN)/edition
	$(BIN)/python benchmarks/bench_build.py $(N)

clean:
	rm -rf $(BUILDDIR)

distclean: clean
	rm -rf $(VENV)

# When a release is cut: build, then append every newly published anchor to docs/anchors.txt.
anchors: html
	$(BIN)/edition anchors --update
# Print edition.  The PDF needs XeLaTeX, latexmk and xindy (see README: Debian packages).
# LaTeX runs in batch mode and stops at the first error; the PDF is _build/latex/bolivia-coups-edition.pdf.
.PHONY: pdf epub latex
LATEXMKOPTS ?= -interaction=nonstopmode -halt-on-error -file-line-error

latex: $(PAGES)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b latex -d $(BUILDDIR)/doctrees/latex -c . docs $(BUILDDIR)/latex

pdf: latex
	$(MAKE) -C $(BUILDDIR)/latex all-pdf LATEXMKOPTS="$(LATEXMKOPTS)"
	@echo "The PDF is $(BUILDDIR)/latex/bolivia-coups-edition.pdf"
	# Published beside the HTML: each document page's citation_pdf_url points into it.
	if test -d $(BUILDDIR)/html; then cp $(BUILDDIR)/latex/bolivia-coups-edition.pdf $(BUILDDIR)/html/; fi

epub: $(PAGES)
	$(BIN)/sphinx-build $(SPHINXOPTS) -b epub -d $(BUILDDIR)/doctrees/epub -c . docs $(BUILDDIR)/epub
	@echo "The EPUB is $(BUILDDIR)/epub/bolivia-coups-edition.epub"
# The toolkit's documentation (tutorial, reference): _build/toolkit-docs/index.html
.PHONY: toolkit-docs
toolkit-docs: $(BIN)/edition
	$(BIN)/sphinx-build $(SPHINXOPTS) -b html toolkit-docs $(BUILDDIR)/toolkit-docs
	@echo "The toolkit's documentation is in $(BUILDDIR)/toolkit-docs/index.html"
