# ihkg: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
STAMP  := $(VENV)/.installed

.PHONY: demo test eval bench lint install clean

demo: $(STAMP)  ## build the graph of data/articles into out/ and print a summary
	$(BIN)/kg build --out $(OUT)

test: $(STAMP)  ## run the test suite
	$(BIN)/python -m pytest -q

eval: $(STAMP)  ## scores on the samples and on the evaluation corpus, side by side
	$(BIN)/kg eval-report

bench: $(STAMP)  ## query latency (rdflib vs pyoxigraph, ~1M triples), reading and writing graphs and build throughput (100 to 10,000 articles; ~30 min)
	$(BIN)/python benchmarks/bench_queries.py
	$(BIN)/python benchmarks/bench_load.py --write-triples 200000
	$(BIN)/python benchmarks/bench_page.py
	$(BIN)/python benchmarks/bench_build.py --json $(OUT)/bench.json

lint: $(STAMP)
	$(BIN)/ruff check kg tests scripts benchmarks
	$(BIN)/ruff format --check kg tests scripts benchmarks

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(OUT) .pytest_cache
