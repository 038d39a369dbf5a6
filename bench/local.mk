# Benchmarks (bench/bench.py; results and how to read them in
# doc/performance.md). They are not tests: `make check` only runs a small
# smoke run (tests/bench-smoke.sh) that checks nothing about timing.
#   make bench       every tool side by side, P-256 and RSA-2048, with a plot
#   make bench-rss   peak RSS of a 10,000- and a 100,000-device batch (minutes)
check_PROGRAMS += bench/bench-issue
bench_bench_issue_SOURCES = bench/bench-issue.c
bench_bench_issue_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
bench_bench_issue_LDADD = lib/libiotx509.la $(GNUTLS_LIBS)

TESTS += tests/bench-smoke.sh
EXTRA_DIST += bench/bench.py tests/bench-smoke.sh bench/bench-binding.py bench/bench-binding.mjs bench/BenchBinding.java

BENCH_FLAGS = --n 300 --batch-n 3000 --loop 30 --reps 7
BENCH_OUT = bench-results
bench: bench/bench-issue$(EXEEXT) src/iotx509$(EXEEXT)
	python3 $(srcdir)/bench/bench.py --builddir $(abs_top_builddir) --out $(BENCH_OUT) \
		--plot $(BENCH_OUT)/performance.png $(BENCH_FLAGS)
bench-rss: src/iotx509$(EXEEXT)
	python3 $(srcdir)/bench/bench.py --builddir $(abs_top_builddir) --out $(BENCH_OUT) --rss 10000,100000
.PHONY: bench bench-rss
