# Fuzzing with libFuzzer (clang; on Debian 12: clang libclang-rt-14-dev).
# Kept apart from the normal build: fuzz/fuzz-smoke.sh compiles the library
# sources and the harnesses fuzz/fuzz_*.c with clang, ASan and UBSan into
# fuzz-work/ of the build directory. Nothing here is built by 'make' or
# 'make check', and no configure setting changes.
#
#   make fuzz-smoke                   every harness for FUZZ_SECONDS (30) s;
#                                     fails on a crash, leak or timeout
#   make fuzz-smoke FUZZ_SECONDS=600 FUZZ_TARGETS=fuzz_lint
#   make fuzz-long                    every harness for FUZZ_LONG_SECONDS
#                                     (120) s, FUZZ_LONG_JOBS (1) at a time,
#                                     keeping the corpus it grows between runs
#   make fuzz-long FUZZ_SECONDS=900 FUZZ_TARGETS='fuzz_lint fuzz_certgen'
#                                     (FUZZ_SECONDS on the command line wins)
#   make fuzz-build                   the harnesses only (fuzz-work/bin)
CLANG = clang
FUZZ_SECONDS = 30
FUZZ_LONG_SECONDS = 120
FUZZ_LONG_JOBS = 1
FUZZ_TARGETS =
FUZZ_ENV = srcdir='$(abs_top_srcdir)' builddir='$(abs_top_builddir)' CLANG='$(CLANG)' \
	FUZZ_TARGETS='$(FUZZ_TARGETS)' FIXTURES='$(IOTX509_FIXTURES)' \
	GNUTLS_CFLAGS='$(GNUTLS_CFLAGS)' GNUTLS_LIBS='$(GNUTLS_LIBS)' TASN1_CFLAGS='$(TASN1_CFLAGS)' \
	TASN1_LIBS='$(TASN1_LIBS)' \
	LIB_SOURCES='$(lib_libiotx509_la_SOURCES) $(nodist_lib_libiotx509_la_SOURCES)'
# Everything generated that the library's sources need: the ASN.1 tables, version.h, config.h.
FUZZ_DEPS = $(nodist_lib_libiotx509_la_SOURCES) include/iotx509/version.h config.h

fuzz-smoke: $(FUZZ_DEPS)
	$(AM_V_at)$(FUZZ_ENV) FUZZ_SECONDS='$(FUZZ_SECONDS)' $(SHELL) $(srcdir)/fuzz/fuzz-smoke.sh

# Minutes per harness, one at a time by default (the machine is shared);
# the working corpus in fuzz-work/corpus grows from run to run.
fuzz-long: $(FUZZ_DEPS)
	$(AM_V_at)$(FUZZ_ENV) \
		FUZZ_SECONDS='$(if $(filter command line,$(origin FUZZ_SECONDS)),$(FUZZ_SECONDS),$(FUZZ_LONG_SECONDS))' \
		FUZZ_JOBS='$(FUZZ_LONG_JOBS)' FUZZ_KEEP_CORPUS=1 \
		$(SHELL) $(srcdir)/fuzz/fuzz-smoke.sh

fuzz-build: $(FUZZ_DEPS)
	$(AM_V_at)$(FUZZ_ENV) FUZZ_BUILD_ONLY=1 $(SHELL) $(srcdir)/fuzz/fuzz-smoke.sh

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz-work

.PHONY: fuzz-smoke fuzz-long fuzz-build clean-fuzz
# Listed one by one: the build directory has a fuzz/ of its own (the
# replay programs' objects), which "EXTRA_DIST += fuzz" would ship instead.
EXTRA_DIST += fuzz/README.md fuzz/dict fuzz/corpus fuzz/regressions fuzz/fuzz-smoke.sh fuzz/gen-corpus.py
