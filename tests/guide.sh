#!/bin/sh
# doc/guide.md cannot go stale: tests/guide.py runs every command and C
# program in it in a fresh directory, with the built iotx509 first in PATH
# and pkg-config finding the built library (as if installed), and fails when
# one fails or prints something else than the guide shows.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
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
