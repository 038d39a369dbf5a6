# The ABI gate (doc/abi.md). abi/libiotx509.abi is the released ABI
# (abidw over the -g library, public headers only); `make abi-check` fails
# on anything but additions in a new version node, `make abi-baseline`
# rewrites the baseline at a release. make check runs both tests below:
# tests/abi-check.sh (the built library against the baseline) and
# tests/abi-gate.sh (the gate fails on deliberately broken copies).
ABI_SH = top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' $(SHELL) $(abs_top_srcdir)/scripts/abi.sh
abi-check: lib/libiotx509.la
	$(AM_V_at)$(ABI_SH) check
abi-baseline: lib/libiotx509.la
	$(AM_V_at)$(ABI_SH) baseline
.PHONY: abi-check abi-baseline

EXTRA_DIST += abi/libiotx509.abi abi/options-versions abi/options.suppr \
	tests/abi-check.sh tests/abi-gate.sh doc/abi.md
TESTS += tests/abi-check.sh tests/abi-gate.sh
