#!/bin/sh
# Install the Debian 12 packages libiotx509 needs to build and to run its
# whole test suite: the interop tests drive openssl, certtool, keytool and
# node; the PKCS#11 tests use SoftHSM2; the CLI tests parse --json with
# python3, render the man page with groff and graphs with graphviz.
set -eu
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root (apt-get)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential autoconf automake libtool pkg-config make \
	libgnutls28-dev libtasn1-6-dev libtasn1-bin libcriterion-dev \
	gnutls-bin openssl ca-certificates \
	default-jdk-headless nodejs python3 python3-cryptography groff-base \
	softhsm2 p11-kit graphviz >/dev/null
# The ABI gate (abidw, abidiff), the API reference (make docs), and
# libunistring-dev, which gnutls.pc's Libs.private names for a static link
# (tests/install.sh links a consumer with pkg-config --static).
apt-get install -y -qq --no-install-recommends abigail-tools doxygen libunistring-dev >/dev/null
# The bindings (doc/bindings.md): SWIG, the Python headers, the JDK (above),
# a C++ compiler and the headers of the installed node (Debian's nodejs
# has them in libnode-dev; a nodejs from elsewhere may bring its own).
apt-get install -y -qq --no-install-recommends swig python3-dev g++ >/dev/null
node_inc=$(node -p 'require("path").resolve(process.execPath, "../../include/node")' 2>/dev/null || echo /usr/include/node)
[ -f "$node_inc/node.h" ] || apt-get install -y -qq --no-install-recommends libnode-dev >/dev/null
echo "install-deps.sh: build and test dependencies installed"
