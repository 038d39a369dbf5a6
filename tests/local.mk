# Tests: one Criterion program per module, plus interop and ABI scripts.
TEST_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(GNUTLS_CFLAGS) -DIOTX509_TEST_SRCDIR='"$(abs_top_srcdir)"' \
	-DIOTX509_TEST_BUILDDIR='"$(abs_top_builddir)"'
TEST_LDADD = tests/libtesthelp.la lib/libiotx509.la $(CRITERION_LIBS) $(GNUTLS_LIBS)

EXTRA_DIST += tests/abi-symbols.sh tests/headers-standalone.sh
TESTS += tests/abi-symbols.sh tests/headers-standalone.sh
AM_TESTS_ENVIRONMENT = top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' CC='$(CC)' OBJDUMP='$(OBJDUMP)'; export top_srcdir top_builddir CC OBJDUMP;

if HAVE_CRITERION
check_LTLIBRARIES = tests/libtesthelp.la
tests_libtesthelp_la_SOURCES = tests/helpers.c tests/helpers.h
tests_libtesthelp_la_CFLAGS = $(TEST_CFLAGS)

CRITERION_TESTS = \
	tests/test_common \
	tests/test_errors \
	tests/test_file \
	tests/test_key \
	tests/test_cert \
	tests/test_csr \
	tests/test_id \
	tests/test_issue \
	tests/test_interop
check_PROGRAMS += $(CRITERION_TESTS)
TESTS += $(CRITERION_TESTS)

tests_test_common_SOURCES = tests/test_common.c
tests_test_common_CFLAGS = $(TEST_CFLAGS)
tests_test_common_LDADD = $(TEST_LDADD)
tests_test_errors_SOURCES = tests/test_errors.c
tests_test_errors_CFLAGS = $(TEST_CFLAGS)
tests_test_errors_LDADD = $(TEST_LDADD)
tests_test_file_SOURCES = tests/test_file.c
tests_test_file_CFLAGS = $(TEST_CFLAGS)
tests_test_file_LDADD = $(TEST_LDADD)
tests_test_key_SOURCES = tests/test_key.c
tests_test_key_CFLAGS = $(TEST_CFLAGS)
tests_test_key_LDADD = $(TEST_LDADD)
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
tests_test_interop_SOURCES = tests/test_interop.c
tests_test_interop_CFLAGS = $(TEST_CFLAGS)
tests_test_interop_LDADD = $(TEST_LDADD)
endif
