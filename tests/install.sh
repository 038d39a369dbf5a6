#!/bin/sh
# `make install DESTDIR=...` gives the layout a distribution packages, and a
# program built with nothing but pkg-config's flags, as a packager sets
# them (PKG_CONFIG_PATH into the DESTDIR, PKG_CONFIG_SYSROOT_DIR = DESTDIR),
# builds and runs against it: shared, and with `pkg-config --static` against
# libiotx509.a.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
: "${CC:=cc}"
# A sanitizer build's library needs its runtime in the consumer too.
CC="$CC ${SANITIZER_FLAGS:-}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
unset MAKEFLAGS MFLAGS
make -s -C "$top_builddir" --no-print-directory install DESTDIR="$dest" > "$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; echo "FAIL: make install DESTDIR=$dest"; exit 1; }
eval "$(make -s -C "$top_builddir" --no-print-directory print-install-dirs)"
status=0
fail() { echo "FAIL: $*"; status=1; }
has() { for f; do [ -e "$dest$f" ] || fail "not installed: $f"; done; }

# Headers: every public header, the top one, the generated version.h.
for h in "$top_srcdir"/include/iotx509/*.h; do has "$includedir/iotx509/$(basename "$h")"; done
has "$includedir/iotx509.h" "$includedir/iotx509/version.h"
# The shared library with its soname links, the static library, pkg-config.
has "$libdir/libiotx509.so" "$libdir/libiotx509.so.0" "$libdir/libiotx509.a" "$pkgconfigdir/libiotx509.pc"
[ -L "$dest$libdir/libiotx509.so" ] && [ -L "$dest$libdir/libiotx509.so.0" ] ||
	fail "libiotx509.so and libiotx509.so.0 must be symbolic links to the versioned file"
[ "$(readlink "$dest$libdir/libiotx509.so.0")" = "$(readlink "$dest$libdir/libiotx509.so")" ] ||
	fail "libiotx509.so and libiotx509.so.0 point at different files"
grep -q '^Requires.private:.*gnutls.*libtasn1' "$dest$pkgconfigdir/libiotx509.pc" ||
	fail "libiotx509.pc has no Requires.private: gnutls, libtasn1"
# The tool, its man page and section 3 pages, the completion, the docs.
has "$bindir/iotx509" "$mandir/man1/iotx509.1" "$bashcompletiondir/iotx509"
# Section 3: the overview, a page per module header, each module listed in
# the overview.
has "$mandir/man3/libiotx509.3"
for h in "$top_srcdir"/include/iotx509/*.h; do
	m=$(basename "$h" .h)
	has "$mandir/man3/iotx509-$m.3"
	grep -qF ".BR iotx509\\-$m (3)" "$top_srcdir/doc/libiotx509.3" || fail "libiotx509(3) does not list iotx509-$m(3)"
done
has "$mandir/man3/iotx509-version.3" "$mandir/man3/iotx509-options.3" "$mandir/man3/iotx509_issue_options.3"
has "$docdir/README.md" "$docdir/abi.md"
for d in "$top_srcdir"/doc/*.md; do has "$docdir/$(basename "$d")"; done
# The bindings configure enabled (an empty directory: not enabled).
[ -z "$pythondir" ] || has "$pythondir/iotx509.py" "$pythondir/_iotx509.so"
[ -z "$jnidir" ] || has "$javajardir/iotx509.jar" "$jnidir/libiotx509jni.so"
[ -z "$nodedir" ] || has "$nodedir/iotx509/iotx509.node" "$nodedir/iotx509/package.json"
# ... and work from there, as a user's program loads them (not in a
# sanitizer build: an interpreter cannot load its library without the ASan
# runtime preloaded; the binding tests run there with it).
[ -z "${SANITIZER_FLAGS:-}" ] || { echo "sanitizer build: the installed bindings are not loaded"; pythondir= nodedir=; }
if [ -n "$pythondir" ]; then
	out=$(PYTHONPATH=$dest$pythondir LD_LIBRARY_PATH=$dest$libdir "$python" -c \
		'import iotx509; k = iotx509.key_generate(iotx509.KEY_P256); print("python:", iotx509.key_get_bits(k))' 2>&1) ||
		fail "the installed Python module does not work: $out"
	echo "$out"
fi
if [ -n "$nodedir" ]; then
	out=$(NODE_PATH=$dest$nodedir LD_LIBRARY_PATH=$dest$libdir "$node" -e \
		'const x = require("iotx509"); console.log("node:", x.key_get_bits(x.key_generate(x.KEY_P256)))' 2>&1) ||
		fail "the installed Node addon does not work: $out"
	echo "$out"
fi
find "$dest" -name "*.la" > "$tmp/la"; grep -v "/libiotx509.la$" "$tmp/la" && fail "libtool archives of the bindings installed"
# Nothing that is internal: no lib/*-internal.h, no test programs.
find "$dest" -name '*-internal.h' -o -name 'test_*' | grep . && fail "internal files installed"

# The consumer, as a packager builds one against the staged install.
PKG_CONFIG_PATH=$dest$pkgconfigdir PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest$pkgconfigdir:$(pkg-config --variable pc_path pkg-config)
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
cflags=$(pkg-config --cflags libiotx509) libs=$(pkg-config --libs libiotx509)
echo "pkg-config --cflags --libs libiotx509: $cflags $libs"
case " $cflags $libs " in *" -I$dest"*" -L$dest"*) ;; *) fail "pkg-config flags do not point into the DESTDIR" ;; esac
# shellcheck disable=SC2086
$CC -Wall -Werror -o "$tmp/consumer" "$top_srcdir/tests/consumer.c" $cflags $libs || fail "consumer does not build"
if [ -x "$tmp/consumer" ]; then
	out=$(LD_LIBRARY_PATH=$dest$libdir "$tmp/consumer") || fail "consumer failed: $out"
	echo "shared: $out"
	LD_LIBRARY_PATH=$dest$libdir ldd "$tmp/consumer" | grep -q "$dest$libdir/libiotx509.so.0" ||
		fail "the shared consumer does not use the installed libiotx509.so.0"
fi
# Static: --static adds gnutls and libtasn1 (Requires.private); libiotx509.a
# is taken in place of the shared library.
slibs=$(pkg-config --static --libs libiotx509)
echo "pkg-config --static --libs libiotx509: $slibs"
case " $slibs " in *" -lgnutls "*" -ltasn1 "*) ;; *) fail "pkg-config --static lacks -lgnutls -ltasn1" ;; esac
# shellcheck disable=SC2086
$CC -Wall -Werror -o "$tmp/consumer-static" "$top_srcdir/tests/consumer.c" $(pkg-config --static --cflags libiotx509) \
	$(echo "$slibs" | sed 's/-liotx509/-l:libiotx509.a/') || fail "static consumer does not link"
if [ -x "$tmp/consumer-static" ]; then
	out=$(env -u LD_LIBRARY_PATH "$tmp/consumer-static") || fail "static consumer failed: $out"
	echo "static: $out"
	${OBJDUMP:-objdump} -p "$tmp/consumer-static" | grep -q 'NEEDED.*libiotx509' &&
		fail "the static consumer still needs libiotx509.so"
fi
[ $status -eq 0 ] && echo "PASS: layout under $dest as configured (prefix $(dirname "$bindir")), consumer shared and static"
exit $status
