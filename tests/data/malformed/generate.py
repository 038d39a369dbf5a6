#!/usr/bin/env python3
"""Generate the malformed-input corpus of tests/test_malformed.c.

Run from anywhere:  tests/data/malformed/generate.py [FIXTURES_DIR]
(default FIXTURES_DIR: tests/data/foreign in this repository).

Every file is derived deterministically from the foreign fixtures, from the
two fixed test keys below, or from fixed byte patterns, so running the script
again gives identical bytes (the CSR comes from `openssl req` with an RSA key,
whose PKCS#1 v1.5 signature is deterministic). The outputs are committed; the
test reads them, it does not run this script. Add a file here and its
expectations to tests/test_malformed.c together.
"""
import base64
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', 'foreign')
sys.path.insert(0, os.path.join(HERE, '..'))
from datagen import der_len, make_out, pem, pem_body, read_file  # noqa: E402

# Fixed test keys (made once for this corpus; they protect nothing).
EC_KEY = b"""-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIFCGKIZQjhdxavBEg2yJIxHAKBWr48yTqK+HbwxRE1M9oAoGCCqGSM49
AwEHoUQDQgAE9R0ZR4iYqG5AkpxxkYNeABVw0268GwOtKlUiBe1hKODbP1wKktjP
wQYVOVXVMZknZ9O1QkPV4cr01q1VOh52Rg==
-----END EC PRIVATE KEY-----
"""
ED25519_KEY = b"""-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIOEXkIATtd7O/BitIYjcT2hkOtG/KxtaLx10/Ua23lX4
-----END PRIVATE KEY-----
"""

manifest = []
out = make_out(HERE, manifest)


def fixture(rel):
    return read_file(FIX, rel)


def noise(n, seed):
    """n deterministic pseudo-random bytes."""
    data = b''
    counter = 0
    while len(data) < n:
        data += hashlib.sha256(b'%s:%d' % (seed.encode(), counter)).digest()
        counter += 1
    return data[:n]


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def flip(data, offset, mask=0x01):
    b = bytearray(data)
    b[offset] ^= mask
    return bytes(b)


cert_pem = fixture('create_test_cert/sampleDevice01_cert.pem')
cert_der = pem_body(cert_pem)
rsa_key_pem = fixture('create_test_cert/sampleDevice01_key.pem')      # PKCS#1
pkcs8_key_pem = fixture('certgen_sh/new-device.key.pem')              # PKCS#8
enc_key_pem = fixture('certgen_sh/azure-iot-test-only.root.ca.key.pem')  # encrypted PKCS#8, "1234"
pfx = fixture('create_test_cert/sampleDevice01.pfx')                   # password "1234"
csr_der = subprocess.run(['openssl', 'req', '-new', '-key', os.path.join(FIX, 'create_test_cert/sampleDevice01_key.pem'),
                          '-subj', '/CN=sample-device-01', '-outform', 'DER'],
                         check=True, capture_output=True).stdout
cert_b64 = base64.b64encode(cert_der).decode()

# ---- empty and noise ----
out('empty.bin', b'', 'empty file')
out('whitespace.txt', b' \n\t\r\n   \n', 'only whitespace')
out('noise.bin', noise(512, 'noise'), '512 bytes of binary noise')
out('noise-0x30.bin', b'\x30' + noise(511, 'noise-0x30'), 'binary noise that starts like DER (0x30)')
out('text.txt', b'This is a README, not a certificate.\n', 'plain text')
out('null.txt', b'null', 'the stray "null" of create_test_cert.js, alone')
out('nul-bytes.bin', b'\x00' * 64, '64 NUL bytes')

# ---- PEM armour ----
out('pem-begin-only.pem', b'-----BEGIN CERTIFICATE-----\n' + cert_b64[:200].encode() + b'\n',
    'BEGIN line and part of the body, no END line')
out('pem-truncated-body.pem', pem('CERTIFICATE', cert_der[:len(cert_der) // 2]),
    'well-formed PEM of the first half of a certificate')
out('pem-cut-mid-line.pem', cert_pem[:len(cert_pem) // 2], 'certificate PEM cut in the middle of a line')
out('pem-bad-base64-char.pem', cert_pem.replace(cert_b64[100:104].encode(), b'*!*!', 1),
    'a certificate PEM with "*!*!" in the base64')
out('pem-bad-base64-padding.pem',
    b'-----BEGIN CERTIFICATE-----\nMIIB==AAAA\n-----END CERTIFICATE-----\n', 'padding in the middle of the base64')
out('pem-label-mismatch.pem', cert_pem.replace(b'-----END CERTIFICATE-----', b'-----END PRIVATE KEY-----'),
    'BEGIN CERTIFICATE closed by END PRIVATE KEY')
out('pem-empty-body.pem', b'-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n', 'a PEM block with no body')
out('pem-unknown-label.pem', pem('FOO BAR', cert_der), 'a certificate under an unknown label')
out('pem-cert-labelled-key.pem', pem('PRIVATE KEY', cert_der), 'a certificate labelled PRIVATE KEY')
out('pem-key-labelled-cert.pem', pem('CERTIFICATE', pem_body(pkcs8_key_pem)),
    'a PKCS#8 private key labelled CERTIFICATE')
out('pem-noise-as-cert.pem', pem('CERTIFICATE', noise(300, 'pem-noise')), 'base64 of noise labelled CERTIFICATE')
out('pem-nul-in-body.pem', cert_pem[:200] + b'\x00\x00\x00' + cert_pem[203:], 'NUL bytes inside the base64 body')
out('pem-nested-begin.pem', b'-----BEGIN CERTIFICATE-----\n' + cert_pem,
    'a BEGIN line, then a complete certificate block')
out('pem-dashes-only.pem', b'-----BEGIN -----\n-----END -----\n', 'BEGIN and END lines without a label')
out('pem-legacy-encrypted-key.pem',
    rsa_key_pem.replace(b'-----BEGIN RSA PRIVATE KEY-----\n',
                        b'-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n'
                        b'DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n'),
    'legacy OpenSSL encrypted PEM headers (Proc-Type/DEK-Info)')

# ---- DER structure ----
out('der-truncated-half.der', cert_der[:len(cert_der) // 2], 'the first half of a certificate DER')
out('der-truncated-1.der', cert_der[:-1], 'a certificate DER without its last byte')
out('der-tag-only.der', b'\x30', 'a single SEQUENCE tag')
out('der-empty-sequence.der', b'\x30\x00', 'an empty SEQUENCE')
out('der-length-past-end.der', b'\x30\x82\xff\xf0' + cert_der[4:], 'outer length 65520, far past the end')
out('der-absurd-length.der', b'\x30\x84\x7f\xff\xff\xff' + cert_der[4:64], 'outer length 2^31-1')
out('der-length-of-length-9.der', b'\x30\x89\x01\x00\x00\x00\x00\x00\x00\x00\x00' + cert_der[4:64],
    'a length of 9 octets (more than any size_t)')
out('der-indefinite-no-eoc.der', b'\x30\x80' + cert_der[4:], 'indefinite length without end-of-contents')
out('der-wrong-outer-tag.der', b'\x31' + cert_der[1:], 'a SET where the Certificate SEQUENCE belongs')
out('der-inner-length-overflow.der', cert_der[:4] + b'\x30\x83\x7f\xff\xff' + cert_der[8:],
    'tbsCertificate longer than the certificate around it')
out('der-trailing-garbage.der', cert_der + noise(17, 'trailing'), 'a certificate followed by 17 bytes of noise')
nest = b'\x05\x00'
for _ in range(5000):
    nest = tlv(0x30, nest)
out('der-deep-nesting.der', nest, '5000 nested definite-length SEQUENCEs')
out('der-deep-nesting-indefinite.der', b'\x30\x80' * 50000, '50000 nested indefinite-length SEQUENCEs')
out('der-tbs-only.der', cert_der[4:8 + int.from_bytes(cert_der[6:8], 'big')], 'a bare tbsCertificate without signature')

# ---- keys ----
out('key-rsa-labelled-ec.pem', rsa_key_pem.replace(b'RSA PRIVATE KEY', b'EC PRIVATE KEY'),
    'an RSA PKCS#1 key labelled EC PRIVATE KEY')
out('key-ec-labelled-rsa.pem', EC_KEY.replace(b'EC PRIVATE KEY', b'RSA PRIVATE KEY'),
    'a SEC1 EC key labelled RSA PRIVATE KEY')
out('key-pkcs8-labelled-rsa.pem', pkcs8_key_pem.replace(b'-----BEGIN PRIVATE KEY-----', b'-----BEGIN RSA PRIVATE KEY-----')
    .replace(b'-----END PRIVATE KEY-----', b'-----END RSA PRIVATE KEY-----'),
    'a PKCS#8 key labelled RSA PRIVATE KEY')
out('key-ed25519-labelled-ec.pem', ED25519_KEY.replace(b'PRIVATE KEY', b'EC PRIVATE KEY'),
    'an Ed25519 PKCS#8 key labelled EC PRIVATE KEY')
out('key-encrypted-labelled-plain.pem', enc_key_pem.replace(b'ENCRYPTED PRIVATE KEY', b'PRIVATE KEY'),
    'an encrypted PKCS#8 key labelled PRIVATE KEY')
out('key-pkcs1-truncated.pem', pem('RSA PRIVATE KEY', pem_body(rsa_key_pem)[:300]), 'the first 300 bytes of an RSA key')
out('key-encrypted-truncated.pem', pem('ENCRYPTED PRIVATE KEY', pem_body(enc_key_pem)[:400]),
    'the first 400 bytes of an encrypted PKCS#8 key')
out('key-encrypted-corrupted.pem', pem('ENCRYPTED PRIVATE KEY', flip(pem_body(enc_key_pem), 500)),
    'an encrypted PKCS#8 key with one ciphertext bit flipped (password 1234)')
enc = pem_body(enc_key_pem)
i = enc.index(b'\x02\x02\x08\x00')  # PBKDF2 iteration count 2048
huge = enc[:i] + b'\x02\x02\x7f\xff' + enc[i + 4:]
out('key-encrypted-iterations-32767.pem', pem('ENCRYPTED PRIVATE KEY', huge),
    'an encrypted PKCS#8 key whose PBKDF2 iteration count was changed (the key no longer decrypts)')
out('key-noise-0x30.der', b'\x30\x82\x01\x00' + noise(256, 'key-noise'), 'a DER SEQUENCE of noise, 256 bytes')
out('key-rsa-zero-modulus.der', tlv(0x30, b'\x02\x01\x00' + b'\x02\x01\x00' * 8), 'an RSAPrivateKey of zeros')
out('key-ec-wrong-curve-oid.pem', pem('EC PRIVATE KEY', pem_body(EC_KEY).replace(
    bytes.fromhex('06082a8648ce3d030107'), bytes.fromhex('06082a8648ce3d030108'))), 'a SEC1 key on an unknown curve OID')

# ---- CSRs ----
i = len(csr_der) - 1
out('csr-broken-signature.der', flip(csr_der, i), 'a CSR whose signature has one bit flipped')
out('csr-broken-signature.pem', pem('CERTIFICATE REQUEST', flip(csr_der, i)), 'the same CSR in PEM')
out('csr-truncated.pem', pem('CERTIFICATE REQUEST', csr_der[:len(csr_der) // 2]), 'the first half of a CSR')
out('csr-base64-bad-char.txt', base64.b64encode(csr_der)[:80] + b'$$$' + base64.b64encode(csr_der)[80:],
    'headerless base64 CSR with "$$$" inside')
out('csr-base64-of-noise.txt', base64.b64encode(noise(200, 'csr-noise')), 'headerless base64 of noise')
out('csr-labelled-cert.pem', pem('CERTIFICATE', csr_der), 'a CSR labelled CERTIFICATE')
out('csr-cert-labelled-csr.pem', pem('CERTIFICATE REQUEST', cert_der), 'a certificate labelled CERTIFICATE REQUEST')

# ---- PKCS#12 ----
# The MAC digest is the last OCTET STRING before macSalt: flip a bit of the
# final bytes of the MacData's digest (32 bytes of SHA-256 before the salt).
mac_at = pfx.rindex(b'\x04\x20') + 2
out('pfx-wrong-mac.pfx', flip(pfx, mac_at + 5), 'a PKCS#12 file with one bit of its MAC flipped (password 1234)')
out('pfx-truncated.pfx', pfx[:len(pfx) // 2], 'the first half of a PKCS#12 file')
out('pfx-noise.pfx', b'\x30\x82\x04\x00' + noise(1024, 'pfx-noise'), 'a DER SEQUENCE of noise named .pfx')
out('pfx-cert-as-pfx.pfx', cert_der, 'a certificate DER named .pfx')
out('pfx-pem-wrapped.pfx', pem('PKCS12', pfx), 'a PKCS#12 file in PEM armour')

# ---- bundles ----
out('bundle-second-truncated.pem', cert_pem + b'\n' + pem('CERTIFICATE', cert_der[:300]),
    'a good certificate, then a truncated one')
out('bundle-second-bad-base64.pem', cert_pem + b'\n' + b'-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n',
    'a good certificate, then one with invalid base64')

with open(os.path.join(HERE, 'MANIFEST'), 'w') as f:
    f.write('# Generated by generate.py: file, then what is wrong with it.\n')
    for name, what in sorted(manifest):
        f.write('%s\t%s\n' % (name, what))
print('%d files' % len(manifest))
