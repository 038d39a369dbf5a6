#!/usr/bin/env python3
"""bench-binding.py DIR NAME KEYTYPE N: a device identity (key, certificate
under NAME, PEM of certificate, key and chain) through the Python binding,
exactly as bench-issue.c's capi_one() does it through the C API; prints
"python WALL_US CPU_US N" (medians per device) like bench-issue does."""
import statistics
import sys
import time

import iotx509


def main(d, name, keytype, n):
    kt = iotx509.key_type_from_name(keytype)
    ca = iotx509.credential_load(d, name, None, None)
    issuer = iotx509.issuer_new(iotx509.credential_get_cert(ca), iotx509.credential_get_key(ca))
    chain = iotx509.credential_get_chain(ca)

    def one(cn):
        k = iotx509.key_generate(kt)
        cert = iotx509.issue_device(issuer, k, cn, None)
        cred = iotx509.credential_new(cert, k, chain, None)
        return (len(iotx509.cert_export_pem(cert)) + len(iotx509.key_export_pem(k, None)) +
                len(iotx509.certlist_export_pem(iotx509.credential_get_chain(cred))))

    one("warm-up")
    wall, cpu = [], []
    for i in range(n):
        w, c = time.perf_counter(), time.process_time()
        one("bench-device-%06d" % i)
        wall.append((time.perf_counter() - w) * 1e6)
        cpu.append((time.process_time() - c) * 1e6)
    print("python %.1f %.1f %d" % (statistics.median(wall), statistics.median(cpu), n))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
