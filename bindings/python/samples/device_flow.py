#!/usr/bin/env python3
"""The documented flows through the Python binding (doc/bindings.md).

  device_flow.py [NONCE]

Root CA, a device under it, a verification certificate for NONCE (the
proof-of-possession code the portal shows; default 1234ABCD), an individual
enrollment's primary and secondary certificates (same CN), the device's .pfx
with the documented password (1234); then a mutual-TLS handshake on
127.0.0.1: a server that requires a client certificate and trusts only the
root reports the peer's CN, which must be the device ID, and refuses a
device from another root. Exits non-zero on any failure.
"""
import os
import socket
import ssl
import sys
import tempfile
import threading

import iotx509

PFX_PASSWORD = "1234"  # what create_test_cert.js and certGen.sh use
DEVICE_ID = "sample-device-01"


def identity(issuer, device_id):
    """A new P-256 key and a device certificate for device_id under issuer."""
    key = iotx509.key_generate(iotx509.KEY_P256)
    return iotx509.issue_device(issuer, key, device_id, iotx509.IssueOptions()), key


def pem_files(tmp, name, cred):
    """Write a credential's certificate chain and key as PEM for the ssl module."""
    cert = os.path.join(tmp, name + "_fullchain.pem")
    key = os.path.join(tmp, name + "_key.pem")
    chain = iotx509.credential_get_chain(cred)
    with open(cert, "wb") as f:
        f.write(iotx509.certlist_export_pem(chain))
    with open(key, "wb") as f:
        f.write(iotx509.key_export_pem(iotx509.credential_get_key(cred), None))
    return cert, key


def serve_once(ctx, sock, result):
    """Accept one connection; record the client's CN or the refusal."""
    conn, _ = sock.accept()
    try:
        with ctx.wrap_socket(conn, server_side=True) as tls:
            subject = dict(x[0] for x in tls.getpeercert()["subject"])
            result["cn"] = subject.get("commonName")
            tls.sendall(("hello " + result["cn"] + "\n").encode())
    except (ssl.SSLError, OSError) as e:
        result["refused"] = str(e)
        conn.close()


def handshake(root_pem, server_cred, tmp, client_cert, client_key):
    """One mutual-TLS connection; returns what the server saw."""
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.verify_mode = ssl.CERT_REQUIRED
    sctx.load_verify_locations(cadata=root_pem.decode())  # only the root
    sctx.load_cert_chain(*pem_files(tmp, "server", server_cred))
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.load_verify_locations(cadata=root_pem.decode())
    cctx.load_cert_chain(client_cert, client_key)
    result = {}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        t = threading.Thread(target=serve_once, args=(sctx, sock, result))
        t.start()
        try:
            with socket.create_connection(sock.getsockname()) as raw, \
                    cctx.wrap_socket(raw, server_hostname="localhost") as tls:
                result["reply"] = tls.recv(100).decode()
        except (ssl.SSLError, OSError) as e:
            result.setdefault("client_error", str(e))
        t.join()
    return result


def main(argv):
    nonce = argv[1] if len(argv) > 1 else "1234ABCD"
    iotx509.id_validate_nonce(nonce)
    opts = iotx509.IssueOptions()

    root_key = iotx509.key_generate(iotx509.KEY_P256)
    root = iotx509.issue_root(root_key, "Azure IoT Hub CA Cert Test Only", opts)
    with iotx509.issuer_new(root, root_key) as ca:
        dev_cert, dev_key = identity(ca, DEVICE_ID)
        vkey = iotx509.key_generate(iotx509.KEY_P256)
        verification = iotx509.issue_verification(ca, vkey, nonce, opts)
        status = iotx509.pop_verify(verification, root, nonce, iotx509.PopOptions())
        print("verification certificate for nonce %s: %s" % (nonce, iotx509.pop_status_name(status)))

        # Individual enrollment: primary and secondary share the CN (the registration ID).
        primary, _ = identity(ca, "enrolled-device")
        secondary, _ = identity(ca, "enrolled-device")
        enr = iotx509.enrollment_new(iotx509.ENROLLMENT_INDIVIDUAL, "enrolled-device")
        iotx509.enrollment_set_cert(enr, iotx509.ENROLLMENT_PRIMARY, primary)
        iotx509.enrollment_set_cert(enr, iotx509.ENROLLMENT_SECONDARY, secondary)
        print("enrollment %s: primary %s, secondary %s" % (
            enr.name, iotx509.enrollment_get_cert(enr, iotx509.ENROLLMENT_PRIMARY).subject_cn,
            iotx509.enrollment_get_cert(enr, iotx509.ENROLLMENT_SECONDARY).subject_cn))

        pool = iotx509.certlist_new()
        iotx509.certlist_add(pool, root)
        device = iotx509.credential_new(dev_cert, dev_key, pool, None)
        pfx = iotx509.credential_export_pkcs12(device, PFX_PASSWORD, iotx509.Pkcs12Options())
        print("%s.pfx: %d bytes, password %s" % (DEVICE_ID, len(pfx), PFX_PASSWORD))

        skey = iotx509.key_generate(iotx509.KEY_P256)
        server_opts = iotx509.IssueOptions()
        names = iotx509.strlist_new()
        iotx509.strlist_add(names, "localhost")
        server_opts.dns_names = names
        server = iotx509.credential_new(iotx509.issue_server(ca, skey, "localhost", server_opts), skey, pool, None)

    # The device's identity as the device gets it: the .pfx, opened with its password.
    from_pfx = iotx509.credential_import_pkcs12(pfx, PFX_PASSWORD, None)
    root_pem = iotx509.cert_export_pem(root)
    with tempfile.TemporaryDirectory() as tmp:
        seen = handshake(root_pem, server, tmp, *pem_files(tmp, DEVICE_ID, from_pfx))
        print("server saw peer CN %r" % seen.get("cn"))
        if seen.get("cn") != DEVICE_ID:
            print("FAIL: handshake: %r" % seen, file=sys.stderr)
            return 1

        other_key = iotx509.key_generate(iotx509.KEY_P256)
        other_root = iotx509.issue_root(other_key, "Another Root", opts)
        with iotx509.issuer_new(other_root, other_key) as other_ca:
            stranger, stranger_key = identity(other_ca, "stranger-device")
        spool = iotx509.certlist_new()
        iotx509.certlist_add(spool, other_root)
        stranger_cred = iotx509.credential_new(stranger, stranger_key, spool, None)
        refused = handshake(root_pem, server, tmp, *pem_files(tmp, "stranger", stranger_cred))
        if "cn" in refused or "refused" not in refused:
            print("FAIL: a device from another root was accepted: %r" % refused, file=sys.stderr)
            return 1
        print("device from another root refused: %s" % refused["refused"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
