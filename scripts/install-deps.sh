#!/bin/sh
# Install the Debian 12 packages libiotx509 needs to build and to run its
# whole test suite (the interop tests drive openssl, certtool, keytool and node).
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
	default-jdk-headless nodejs >/dev/null
echo "install-deps.sh: build and test dependencies installed"
