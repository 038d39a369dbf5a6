#!/bin/sh
# make check runs the ABI gate (scripts/abi.sh check, as `make abi-check`):
# the built library against abi/libiotx509.abi.
set -eu
for tool in abidw abidiff; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool not installed (scripts/install-deps.sh installs abigail-tools)"; exit 77; }
done
exec "$top_srcdir/scripts/abi.sh" check
