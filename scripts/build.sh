#!/bin/sh
# Configure and build libiotx509 in ./build (out of tree, so the source
# directory stays clean).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi
fi
mkdir -p build
cd build
if [ ! -f Makefile ]; then
	../configure --quiet
fi
make -j"$(nproc)" --no-print-directory
