#!/bin/sh
# doc/guide.md cannot go stale: tests/guide.py runs every command and C
# program in it in a fresh directory, with the built iotx509 first in PATH
# and pkg-config finding the built library (as if installed), and fails when
# one fails or prints something else than the guide shows. The EXAMPLE of
# libiotx509(3) is compiled and run the same way.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
# The guide's programs are built as a user builds them (plain cc, pkg-config),
# which an ASan-instrumented library cannot serve: the normal build runs it.
if [ -n "${SANITIZER_FLAGS:-}" ]; then
	echo "SKIP: a sanitizer build (the guide runs in the normal build; .ci/run runs both)"
	exit 77
fi
for tool in python3 stdbuf pkg-config softhsm2-util openssl; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool not installed (scripts/install-deps.sh)"; exit 77; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/pc" "$tmp/work"
# libiotx509.pc for the build tree: headers from the source and build
# trees, the library from lib/.libs.
cat > "$tmp/pc/libiotx509.pc" <<EOPC
Name: libiotx509
Description: libiotx509 (build tree)
Version: 0
Requires.private: gnutls, libtasn1
Libs: -L$top_builddir/lib/.libs -liotx509
Cflags: -I$top_srcdir/include -I$top_builddir/include
EOPC
PATH=$top_builddir/src:$PATH
PKG_CONFIG_PATH=$tmp/pc
LD_LIBRARY_PATH=$top_builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
HOME=$tmp/work
export PATH PKG_CONFIG_PATH LD_LIBRARY_PATH HOME
unset IOTX509_PFX_PASSWORD IOTX509_PKCS11_PIN IOTX509_CA_KEY_PASSWORD IOTX509_CA_PASSWORD IOTX509_KEY_PASSWORD SOFTHSM2_CONF
cd "$tmp/work"
python3 "$top_srcdir/tests/guide.py" "$top_srcdir/doc/guide.md" "$tmp/work"
mkdir "$tmp/man" && cd "$tmp/man"

# The example of libiotx509(3) compiles and runs too.
sed -n '/^\.SH EXAMPLE/,/^\.SH/p' "$top_srcdir/doc/libiotx509.3" | sed -n '/^\.nf$/,/^\.fi$/p' |
	sed -e '1d' -e '$d' -e 's/\\e/\\/g' > man-example.c
cc -Wall -Werror -o man-example man-example.c $(pkg-config --cflags --libs libiotx509)
./man-example > man-example.out
head -n 1 man-example.out | grep -qx -- '-----BEGIN CERTIFICATE-----' ||
	{ echo "FAIL: libiotx509(3) EXAMPLE printed:"; cat man-example.out; exit 1; }
echo "PASS: the EXAMPLE of libiotx509(3) prints a certificate"
