#!/bin/sh
# The group-enrollment flow with the iotx509 tool, as the Azure DPS
# documentation describes it with create_test_cert.js:
#   1. a root CA                      (upload it to DPS / IoT Hub)
#   2. a device certificate under it  (the device authenticates with it)
#   3. a verification certificate for the nonce the portal shows
#                                     (proof of possession of the root's key)
#   4. iotx509 verify of the device's full chain against the root
#
# Usage: scripts/demo.sh [DIR]
#   DIR     where the files go (created if needed; default: a new temp dir)
#   IOTX509 the tool to run (default: src/iotx509 of the build in the current
#           directory, or in build/ (scripts/build.sh) here or beside this
#           script, else iotx509 from PATH)
#   NONCE   the verification code (default 1234ABCD)
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${IOTX509:-}" ]; then
	for cand in "$PWD/src/iotx509" "$PWD/build/src/iotx509" "$here/build/src/iotx509" "$here/src/iotx509"; do
		[ -x "$cand" ] && { IOTX509=$cand; break; }
	done
	: "${IOTX509:=iotx509}"
fi
command -v "$IOTX509" >/dev/null 2>&1 || { echo "demo: cannot find the iotx509 tool (build it, or set IOTX509)" >&2; exit 1; }
nonce=${NONCE:-1234ABCD}
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/iotx509-demo.XXXXXX")}
mkdir -p "$dir"

step() {
	printf '\n$ iotx509 %s --out-dir %s\n' "$*" "$dir"
	"$IOTX509" "$@" --out-dir "$dir"
}

echo "iotx509 group-enrollment demo: $("$IOTX509" --version)"
echo "files go to $dir"
step root demo-root
step device sample-device-01 demo-root
step verification --ca "$dir/demo-root_cert.pem" --key "$dir/demo-root_key.pem" --nonce "$nonce"
printf '\n$ iotx509 verify %s --trust %s --device\n' "$dir/sample-device-01_fullchain.pem" "$dir/demo-root_cert.pem"
"$IOTX509" verify "$dir/sample-device-01_fullchain.pem" --trust "$dir/demo-root_cert.pem" --device
printf '\n$ iotx509 verify %s --ca %s --nonce %s\n' "$dir/verification_cert.pem" "$dir/demo-root_cert.pem" "$nonce"
"$IOTX509" verify "$dir/verification_cert.pem" --ca "$dir/demo-root_cert.pem" --nonce "$nonce"

cat <<EOT

What happened:
  - demo-root_cert.pem is the root CA to upload to DPS (group enrollment) with its
    SHA-1 thumbprint above; verification_cert.pem (CN $nonce) proves you hold its key.
  - sample-device-01_fullchain.pem (device, then root) and sample-device-01_key.pem
    (mode 0600) are what the device presents; sample-device-01.pfx holds both
    (password 1234, the documented default).
  - Both checks passed: the device chain verifies against the root with the
    clientAuth usage DPS requires, and the verification certificate matches the nonce.
Files: $(cd "$dir" && ls | tr '\n' ' ')
EOT
