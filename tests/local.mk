# Tests: one Criterion program per module, plus interop and ABI scripts.
TEST_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(GNUTLS_CFLAGS) -DIOTX509_TEST_SRCDIR='"$(abs_top_srcdir)"' \
	-DIOTX509_TEST_BUILDDIR='"$(abs_top_builddir)"' -DIOTX509_TEST_FIXTURES='"$(IOTX509_FIXTURES)"'
TEST_LDADD = tests/libtesthelp.la lib/libiotx509.la $(CRITERION_LIBS) $(GNUTLS_LIBS)

EXTRA_DIST += tests/abi-symbols.sh tests/headers-standalone.sh tests/fixtures-missing.sh tests/api-shapes.sh
EXTRA_DIST += tests/data/malformed tests/data/foreign tests/data/p12key tests/data/datagen.py tests/data/lint tests/lsan.supp
TESTS += tests/abi-symbols.sh tests/headers-standalone.sh tests/api-shapes.sh
AM_TESTS_ENVIRONMENT = top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' CC='$(CC)' OBJDUMP='$(OBJDUMP)' \
	IOTX509_FIXTURES='$(IOTX509_FIXTURES)'; export top_srcdir top_builddir CC OBJDUMP IOTX509_FIXTURES;

# ./configure --enable-sanitizers: any ASan or UBSan report fails the test
# (halt_on_error; abort_on_error makes Criterion see a crash). LeakSanitizer
# stays on in the forked test children and the runner alike; the runner's
# own Criterion leak is suppressed (tests/lsan.supp says why), so a leak in
# the library or in a test fails the program.
if ENABLE_SANITIZERS
AM_TESTS_ENVIRONMENT += ASAN_OPTIONS='halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1'; \
	LSAN_OPTIONS='suppressions=$(abs_top_srcdir)/tests/lsan.supp:print_suppressions=0'; \
	UBSAN_OPTIONS='halt_on_error=1:abort_on_error=1:print_stacktrace=1'; export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; \
	SANITIZER_FLAGS='$(SANITIZER_FLAGS)'; export SANITIZER_FLAGS;
endif

# make check-valgrind: the Criterion programs under valgrind's memcheck
# (tests/valgrind.sh: --leak-check=full, every forked test process checked,
# any error or definite leak fails). Use a build without --enable-sanitizers.
# CHECK_VALGRIND_TESTS picks programs, e.g. 'tests/test_lint tests/test_malformed'.
VALGRIND = valgrind
CHECK_VALGRIND_TESTS = $(CRITERION_TESTS)
EXTRA_DIST += tests/valgrind.sh tests/valgrind.supp
check-valgrind:
	$(AM_V_at)$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(CHECK_VALGRIND_TESTS)' \
		LOG_COMPILER='env VALGRIND=$(VALGRIND) $(SHELL) $(abs_top_srcdir)/tests/valgrind.sh' \
		TEST_SUITE_LOG=test-suite-valgrind.log
.PHONY: check-valgrind

# fuzz/regressions replayed through the harnesses without libFuzzer: one
# program per fuzz/fuzz_*.c (tests/fuzz-regressions.sh says when one is
# missing), the harness plus tests/fuzz-replay.c's main().
FUZZ_REPLAY = \
	tests/replay_fuzz_cert \
	tests/replay_fuzz_certgen \
	tests/replay_fuzz_chain \
	tests/replay_fuzz_csr \
	tests/replay_fuzz_id \
	tests/replay_fuzz_key \
	tests/replay_fuzz_lint \
	tests/replay_fuzz_pkcs12
check_PROGRAMS += $(FUZZ_REPLAY)
TESTS += tests/fuzz-regressions.sh
EXTRA_DIST += tests/fuzz-regressions.sh
tests_replay_fuzz_cert_SOURCES = fuzz/fuzz_cert.c fuzz/fuzz-common.h tests/fuzz-replay.c
tests_replay_fuzz_cert_LDADD = lib/libiotx509.la
tests_replay_fuzz_certgen_SOURCES = fuzz/fuzz_certgen.c fuzz/fuzz-common.h tests/fuzz-replay.c
tests_replay_fuzz_certgen_LDADD = lib/libiotx509.la
tests_replay_fuzz_chain_SOURCES = fuzz/fuzz_chain.c tests/fuzz-replay.c
tests_replay_fuzz_chain_LDADD = lib/libiotx509.la
tests_replay_fuzz_csr_SOURCES = fuzz/fuzz_csr.c tests/fuzz-replay.c
tests_replay_fuzz_csr_LDADD = lib/libiotx509.la
tests_replay_fuzz_id_SOURCES = fuzz/fuzz_id.c tests/fuzz-replay.c
tests_replay_fuzz_id_LDADD = lib/libiotx509.la
tests_replay_fuzz_key_SOURCES = fuzz/fuzz_key.c tests/fuzz-replay.c
tests_replay_fuzz_key_LDADD = lib/libiotx509.la
tests_replay_fuzz_lint_SOURCES = fuzz/fuzz_lint.c fuzz/fuzz-common.h tests/fuzz-replay.c
tests_replay_fuzz_lint_LDADD = lib/libiotx509.la
tests_replay_fuzz_pkcs12_SOURCES = fuzz/fuzz_pkcs12.c tests/fuzz-replay.c
tests_replay_fuzz_pkcs12_LDADD = lib/libiotx509.la

# The iotx509 tool, driven end to end (tests/cli/lib.sh holds their helpers).
CLI_TESTS = \
	tests/cli/help.sh \
	tests/cli/group-enrollment.sh \
	tests/cli/batch.sh \
	tests/cli/individual-enrollment.sh \
	tests/cli/foreign.sh \
	tests/cli/failures.sh \
	tests/cli/tools.sh \
	tests/cli/lint.sh \
	tests/cli/pkcs11.sh \
	tests/cli/check.sh \
	tests/cli/rolling.sh \
	tests/cli/expiry-tree.sh \
	tests/cli/edge-config.sh \
	tests/cli/special-files.sh \
	tests/cli/escaping.sh \
	tests/cli/names.sh \
	tests/cli/presents.sh \
	tests/cli/p12key.sh \
	tests/cli/hostile-chains.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) tests/cli/lib.sh

if HAVE_CRITERION
check_LTLIBRARIES = tests/libtesthelp.la
tests_libtesthelp_la_SOURCES = tests/helpers.c tests/helpers.h
tests_libtesthelp_la_CFLAGS = $(TEST_CFLAGS)

CRITERION_TESTS = \
	tests/test_common \
	tests/test_opts \
	tests/test_issue_once \
	tests/test_errors \
	tests/test_file \
	tests/test_key \
	tests/test_cert \
	tests/test_csr \
	tests/test_id \
	tests/test_issue \
	tests/test_certlist \
	tests/test_chain \
	tests/test_verify \
	tests/test_pop \
	tests/test_pkcs12 \
	tests/test_credential \
	tests/test_batch \
	tests/test_threads \
	tests/test_lint \
	tests/test_malformed \
	tests/test_secrets \
	tests/test_interop \
	tests/test_pkcs11 \
	tests/test_enrollment \
	tests/test_renew \
	tests/test_expiry \
	tests/test_edge \
	tests/test_tree
check_PROGRAMS += $(CRITERION_TESTS)
TESTS += $(CRITERION_TESTS) tests/fixtures-missing.sh

tests_test_common_SOURCES = tests/test_common.c
tests_test_common_CFLAGS = $(TEST_CFLAGS)
tests_test_common_LDADD = $(TEST_LDADD)
# The options helper is hidden in the library: this program compiles it.
tests_test_opts_SOURCES = tests/test_opts.c lib/common.c lib/errors.c
tests_test_opts_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib
tests_test_opts_CFLAGS = $(TEST_CFLAGS)
tests_test_opts_LDADD = $(CRITERION_LIBS) $(GNUTLS_LIBS)
# The library linked statically, iox_id_validate() wrapped by the linker
# to count the device ID checks of each issuance path.
tests_test_issue_once_SOURCES = tests/test_issue_once.c
tests_test_issue_once_CFLAGS = $(TEST_CFLAGS)
tests_test_issue_once_LDFLAGS = -static -Wl,--wrap=iox_id_validate
tests_test_issue_once_LDADD = $(TEST_LDADD) $(TASN1_LIBS)
tests_test_errors_SOURCES = tests/test_errors.c
tests_test_errors_CFLAGS = $(TEST_CFLAGS)
tests_test_errors_LDADD = $(TEST_LDADD)
tests_test_file_SOURCES = tests/test_file.c
tests_test_file_CFLAGS = $(TEST_CFLAGS)
tests_test_file_LDADD = $(TEST_LDADD)
tests_test_key_SOURCES = tests/test_key.c tests/keycheck.c tests/keycheck.h
tests_test_key_CFLAGS = $(TEST_CFLAGS) $(TASN1_CFLAGS)
tests_test_key_LDADD = $(TEST_LDADD) $(TASN1_LIBS)
tests_test_cert_SOURCES = tests/test_cert.c
tests_test_cert_CFLAGS = $(TEST_CFLAGS)
tests_test_cert_LDADD = $(TEST_LDADD)
tests_test_csr_SOURCES = tests/test_csr.c
tests_test_csr_CFLAGS = $(TEST_CFLAGS)
tests_test_csr_LDADD = $(TEST_LDADD)
tests_test_id_SOURCES = tests/test_id.c
tests_test_id_CFLAGS = $(TEST_CFLAGS)
tests_test_id_LDADD = $(TEST_LDADD)
tests_test_issue_SOURCES = tests/test_issue.c
tests_test_issue_CFLAGS = $(TEST_CFLAGS)
tests_test_issue_LDADD = $(TEST_LDADD)
tests_test_certlist_SOURCES = tests/test_certlist.c
tests_test_certlist_CFLAGS = $(TEST_CFLAGS)
tests_test_certlist_LDADD = $(TEST_LDADD)
tests_test_chain_SOURCES = tests/test_chain.c
tests_test_chain_CFLAGS = $(TEST_CFLAGS)
tests_test_chain_LDADD = $(TEST_LDADD)
tests_test_verify_SOURCES = tests/test_verify.c
tests_test_verify_CFLAGS = $(TEST_CFLAGS)
tests_test_verify_LDADD = $(TEST_LDADD)
tests_test_pop_SOURCES = tests/test_pop.c
tests_test_pop_CFLAGS = $(TEST_CFLAGS)
tests_test_pop_LDADD = $(TEST_LDADD)
tests_test_pkcs12_SOURCES = tests/test_pkcs12.c tests/keycheck.c tests/keycheck.h
tests_test_pkcs12_CFLAGS = $(TEST_CFLAGS) $(TASN1_CFLAGS)
tests_test_pkcs12_LDADD = $(TEST_LDADD) $(TASN1_LIBS)
tests_test_credential_SOURCES = tests/test_credential.c
tests_test_credential_CFLAGS = $(TEST_CFLAGS)
tests_test_credential_LDADD = $(TEST_LDADD)
tests_test_batch_SOURCES = tests/test_batch.c
tests_test_batch_CFLAGS = $(TEST_CFLAGS)
tests_test_batch_LDADD = $(TEST_LDADD)
tests_test_threads_SOURCES = tests/test_threads.c
tests_test_threads_CFLAGS = $(TEST_CFLAGS)
tests_test_threads_LDADD = $(TEST_LDADD)
tests_test_lint_SOURCES = tests/test_lint.c
tests_test_lint_CFLAGS = $(TEST_CFLAGS)
tests_test_lint_LDADD = $(TEST_LDADD)
tests_test_malformed_SOURCES = tests/test_malformed.c
tests_test_malformed_CFLAGS = $(TEST_CFLAGS)
tests_test_malformed_LDADD = $(TEST_LDADD)
tests_test_secrets_SOURCES = tests/test_secrets.c
tests_test_secrets_CFLAGS = $(TEST_CFLAGS)
tests_test_secrets_LDADD = $(TEST_LDADD)
tests_test_interop_SOURCES = tests/test_interop.c
tests_test_interop_CFLAGS = $(TEST_CFLAGS)
tests_test_interop_LDADD = $(TEST_LDADD)
tests_test_pkcs11_SOURCES = tests/test_pkcs11.c
tests_test_pkcs11_CFLAGS = $(TEST_CFLAGS)
tests_test_pkcs11_LDADD = $(TEST_LDADD)
tests_test_enrollment_SOURCES = tests/test_enrollment.c
tests_test_enrollment_CFLAGS = $(TEST_CFLAGS)
tests_test_enrollment_LDADD = $(TEST_LDADD)
tests_test_renew_SOURCES = tests/test_renew.c
tests_test_renew_CFLAGS = $(TEST_CFLAGS)
tests_test_renew_LDADD = $(TEST_LDADD)
tests_test_expiry_SOURCES = tests/test_expiry.c
tests_test_expiry_CFLAGS = $(TEST_CFLAGS)
tests_test_expiry_LDADD = $(TEST_LDADD)
tests_test_edge_SOURCES = tests/test_edge.c
tests_test_edge_CFLAGS = $(TEST_CFLAGS)
tests_test_edge_LDADD = $(TEST_LDADD)
tests_test_tree_SOURCES = tests/test_tree.c
tests_test_tree_CFLAGS = $(TEST_CFLAGS)
tests_test_tree_LDADD = $(TEST_LDADD)
endif
