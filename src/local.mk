# The iotx509 command-line tool: a thin layer over the library (a small
# dispatcher, one file per command family, one output helper) and its man page.
bin_PROGRAMS += src/iotx509
src_iotx509_SOURCES = \
	src/main.c \
	src/cli.h src/cli.c \
	src/output.h src/output.c \
	src/cmd-issue.c \
	src/hints.h src/cmd-hints.c \
	src/cmd-batch.c \
	src/cmd-csr.c \
	src/cmd-chain.c \
	src/cmd-verify.c \
	src/cmd-inspect.c \
	src/cmd-lint.c \
	src/cmd-p12.c \
	src/cmd-check.c \
	src/cmd-renew.c \
	src/cmd-expiry.c \
	src/cmd-tree.c \
	src/cmd-edge.c
src_iotx509_LDADD = lib/libiotx509.la

dist_man_MANS += doc/iotx509.1
EXTRA_DIST += doc/rolling.md doc/pkcs11.md doc/threads.md doc/performance.md doc/performance.png
