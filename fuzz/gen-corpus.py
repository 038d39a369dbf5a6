#!/usr/bin/env python3
"""Generate the certificate seeds of the fuzz corpora and regressions.

Run from anywhere:  fuzz/gen-corpus.py
Writes (and replaces):
  fuzz/corpus/lint/*.der     certificates with odd or oversized parts, for
                             fuzz_lint, fuzz_cert and fuzz_chain (fuzz-smoke.sh
                             adds them to those corpora)
  fuzz/regressions/lint/     the inputs of crashes found in lib/lint.c, which
  fuzz/regressions/cert/     fuzz_lint and fuzz_cert (it lints) must survive
  fuzz/regressions/pkcs12/   a .pfx whose MAC iteration count is 2^31-1
  tests/data/lint/*.pem      the certificates tests/cli/lint.sh lints

Every certificate is built here field by field from the base device
certificate below, so a seed differs from the base in exactly the part its
name says. The bytes are deterministic: the signatures are Ed25519 (which
is deterministic) by a fixed key made for this corpus that protects nothing,
so running the script again gives identical files. Needs python3-cryptography
(only for the signatures). The outputs are committed; nothing runs this
script at build or test time.
"""
import base64
import hashlib
import os

from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives import serialization

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
KEY = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b'libiotx509 fuzz seed key').digest())
PUB = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# ---- DER ----

def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def seq(*parts):
    return tlv(0x30, b''.join(parts))


def set_of(*parts):
    """A DER SET OF: elements sorted by their encoding."""
    return tlv(0x31, b''.join(sorted(parts)))


def oid(dotted):
    arcs = [int(a) for a in dotted.split('.')]
    body = b''
    for arc in [40 * arcs[0] + arcs[1]] + arcs[2:]:
        enc = bytes([arc & 0x7f])
        arc >>= 7
        while arc:
            enc = bytes([0x80 | (arc & 0x7f)]) + enc
            arc >>= 7
        body += enc
    return tlv(0x06, body)


def utf8(s):
    return tlv(0x0c, s.encode() if isinstance(s, str) else s)


def bitstring(octets, unused=0):
    return tlv(0x03, bytes([unused]) + octets)


TRUE = tlv(0x01, b'\xff')
CN = '2.5.4.3'
ED25519 = seq(oid('1.3.101.112'))


def ava(typ, value):
    return seq(oid(typ), value)


def rdn(*avas):
    return set_of(*avas)


def name(*rdns):
    return seq(*rdns)


def cn(value):
    return name(rdn(ava(CN, utf8(value))))


def ext(extn_id, value, critical=False):
    return seq(oid(extn_id), TRUE if critical else b'', tlv(0x04, value))


BC, KU, EKU, SKI, AKI, SAN = '2.5.29.19', '2.5.29.15', '2.5.29.37', '2.5.29.14', '2.5.29.35', '2.5.29.17'
NC, POLICIES, CRLDP, AIA = '2.5.29.30', '2.5.29.32', '2.5.29.31', '1.3.6.1.5.5.7.1.1'
KEYID = bytes(range(1, 21))
KEYID2 = bytes(range(0xa1, 0xb5))


def device_exts():
    """The extensions of a device certificate that lints clean, by OID."""
    return [
        (BC, seq(), True),
        (KU, bitstring(b'\x80', 7), True),
        (EKU, seq(oid('1.3.6.1.5.5.7.3.2')), False),
        (SKI, tlv(0x04, KEYID), False),
        (AKI, seq(tlv(0x80, KEYID2)), False),
    ]


def replace_ext(exts, extn_id, value, critical=None):
    out = []
    for e in exts:
        if e[0] == extn_id:
            e = (extn_id, value, e[2] if critical is None else critical)
        out.append(e)
    return out


def cert(serial=bytes(range(0x11, 0x25)), issuer=None, subject=None, exts=None, version=2,
         not_before=tlv(0x17, b'261129120000Z'), not_after=tlv(0x17, b'271129120000Z'), raw_exts=b'',
         empty_exts_field=False):
    issuer = cn('Lint Seed CA') if issuer is None else issuer
    subject = cn('device-01') if subject is None else subject
    exts = device_exts() if exts is None else exts
    ext_der = b''.join(ext(*e) for e in exts) + raw_exts
    tbs = seq(tlv(0xa0, tlv(0x02, bytes([version]))) if version is not None else b'',
              tlv(0x02, serial), ED25519, issuer, seq(not_before, not_after), subject,
              seq(ED25519, bitstring(PUB)),
              tlv(0xa3, seq(ext_der)) if ext_der or empty_exts_field else b'')
    return seq(tbs, ED25519, bitstring(KEY.sign(tbs)))


def pem(der):
    b = base64.b64encode(der).decode()
    body = '\n'.join(b[i:i + 64] for i in range(0, len(b), 64))
    return ('-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n' % body).encode()


written = {}


def write(rel, data):
    path = os.path.join(TOP, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    written[rel] = len(data)


def clean(rel_dir, suffix):
    d = os.path.join(TOP, rel_dir)
    if os.path.isdir(d):
        for f in os.listdir(d):
            if f.endswith(suffix):
                os.unlink(os.path.join(d, f))


clean('fuzz/corpus/lint', '.der')
seeds = {}

seeds['base-device'] = cert()
seeds['base-ca'] = cert(issuer=cn('Lint Seed CA'), subject=cn('Lint Seed CA'),
                        exts=[(BC, seq(TRUE), True), (KU, bitstring(b'\x86', 1), True), (SKI, tlv(0x04, KEYID), False)])

# ---- keyUsage: 1..40 octets, odd unused-bit counts ----
for n in range(1, 41):
    # digitalSignature and the last bit of the last octet: DER (no trailing
    # zero bits), and longer than the 9 bits RFC 5280 names from 2 octets on.
    octets = b'\x80' if n == 1 else b'\x80' + b'\x00' * (n - 2) + b'\x01'
    seeds['ku-%02d-octets' % n] = cert(exts=replace_ext(device_exts(), KU, bitstring(octets, 7 if n == 1 else 0)))
for n in (2, 8, 9, 16, 17, 40):
    seeds['ku-%02d-octets-all-ones' % n] = cert(exts=replace_ext(device_exts(), KU, bitstring(b'\xff' * n)))
    seeds['ku-%02d-octets-trailing-zeros' % n] = cert(
        exts=replace_ext(device_exts(), KU, bitstring(b'\x80' + b'\x00' * (n - 1))))
for unused in (8, 9, 0x7f, 0xff):
    seeds['ku-unused-bits-%02x' % unused] = cert(exts=replace_ext(device_exts(), KU, bitstring(b'\x80\x00', unused)))
seeds['ku-no-content'] = cert(exts=replace_ext(device_exts(), KU, b'\x03\x00'))
seeds['ku-no-bits'] = cert(exts=replace_ext(device_exts(), KU, bitstring(b'')))
seeds['ku-twice-long-first'] = cert(exts=[(KU, bitstring(b'\x80' + b'\x00' * 38 + b'\x01'), True)] + device_exts())

# ---- names: empty RDNs, several CNs ----
EMPTY_RDN = tlv(0x31, b'')
seeds['subject-one-empty-rdn'] = cert(subject=name(EMPTY_RDN))
seeds['subject-three-empty-rdns'] = cert(subject=name(EMPTY_RDN, EMPTY_RDN, EMPTY_RDN))
seeds['subject-empty-rdn-then-cn'] = cert(subject=name(EMPTY_RDN, rdn(ava(CN, utf8('device-01')))))
seeds['issuer-empty-rdns'] = cert(issuer=name(EMPTY_RDN, EMPTY_RDN))
seeds['both-empty-rdns'] = cert(issuer=name(EMPTY_RDN), subject=name(EMPTY_RDN))
seeds['subject-200-empty-rdns'] = cert(subject=name(*[EMPTY_RDN] * 200))
seeds['subject-two-cn-rdns'] = cert(subject=name(rdn(ava(CN, utf8('device-01'))), rdn(ava(CN, utf8('device-02')))))
seeds['subject-two-cn-one-rdn'] = cert(subject=name(rdn(ava(CN, utf8('device-01')), ava(CN, utf8('device-02')))))
seeds['subject-two-cn-same'] = cert(subject=name(rdn(ava(CN, utf8('device-01'))), rdn(ava(CN, utf8('device-01')))))
seeds['subject-cn-utf8-and-bmp'] = cert(subject=name(rdn(ava(CN, utf8('device-01'))),
                                                     rdn(ava(CN, tlv(0x1e, 'device-01'.encode('utf-16-be'))))))
seeds['subject-empty-cn-and-cn'] = cert(subject=name(rdn(ava(CN, utf8(''))), rdn(ava(CN, utf8('device-01')))))
seeds['subject-cn-not-a-string'] = cert(subject=name(rdn(ava(CN, seq(tlv(0x02, b'\x01'))))))
seeds['subject-40-cns'] = cert(subject=name(*[rdn(ava(CN, utf8('d%02d' % i))) for i in range(40)]))
seeds['subject-1100-attributes'] = cert(subject=name(rdn(*[ava('2.5.4.11', utf8('u%d' % i)) for i in range(1100)])))
seeds['issuer-two-cns'] = cert(issuer=name(rdn(ava(CN, utf8('CA one'))), rdn(ava(CN, utf8('CA two')))))

# ---- subjectAltName: long and odd ----
def san(*names, critical=False, subject=None):
    return cert(subject=subject, exts=device_exts() + [(SAN, seq(*names), critical)])


seeds['san-200-dns'] = san(*[tlv(0x82, b'd%d.example' % i) for i in range(200)])
seeds['san-dns-1000-chars'] = san(tlv(0x82, b'a' * 1000 + b'.example'))
seeds['san-every-type'] = san(
    tlv(0xa0, oid('1.3.6.1.4.1.311.20.2.3') + tlv(0xa0, utf8('upn@example'))),
    tlv(0x81, b'dev@exa\x00mple'), tlv(0xa3, seq()), tlv(0xa4, name(EMPTY_RDN)),
    tlv(0xa5, seq(tlv(0xa1, utf8('party')))), tlv(0x86, b'urn:x:\x00\xff'),
    tlv(0x87, b'\x0a\x00\x00\x01\x02'), tlv(0x87, b''), tlv(0x88, oid('1.2.3.4')[2:]))
seeds['san-empty-sequence'] = san()
seeds['san-critical-empty-subject'] = san(tlv(0x82, b'device-01.example'), critical=True, subject=name())
seeds['san-critical-empty-rdn-subject'] = san(tlv(0x82, b'device-01.example'), critical=True, subject=name(EMPTY_RDN))
seeds['san-unknown-tag'] = san(tlv(0x89, b'x'), tlv(0x1f, b''))
seeds['san-dirname-two-cn'] = san(tlv(0xa4, name(rdn(ava(CN, utf8('a'))), rdn(ava(CN, utf8('b'))))))

# ---- nameConstraints ----
def nc(value, critical=True):
    return cert(issuer=cn('Lint Seed CA'), subject=cn('Lint Sub CA'),
                exts=[(BC, seq(TRUE), True), (KU, bitstring(b'\x86', 1), True), (SKI, tlv(0x04, KEYID), False),
                      (AKI, seq(tlv(0x80, KEYID2)), False), (NC, value, critical)])


seeds['nc-dns-and-ip'] = nc(seq(tlv(0xa0, seq(seq(tlv(0x82, b'example.com')))),
                                tlv(0xa1, seq(seq(tlv(0x87, b'\x0a\x00\x00\x00\xff\x00\x00\x00'))))))
seeds['nc-ip-odd-masks'] = nc(seq(tlv(0xa0, b''.join(seq(tlv(0x87, b'\x01' * n)) for n in (0, 1, 5, 16, 33)))))
seeds['nc-empty-subtrees'] = nc(seq(tlv(0xa0, b''), tlv(0xa1, b'')))
seeds['nc-min-max'] = nc(seq(tlv(0xa0, seq(seq(tlv(0x82, b'x'), tlv(0x80, b'\x00'), tlv(0x81, b'\x7f' * 20))))))
seeds['nc-dirname-empty-rdn'] = nc(seq(tlv(0xa1, seq(seq(tlv(0xa4, name(EMPTY_RDN)))))))
seeds['nc-not-critical-garbage'] = nc(b'\x30\x03\x02\x01', critical=False)

# ---- unknown and odd extensions ----
def with_ext(*extra, raw=b''):
    return cert(exts=device_exts() + list(extra), raw_exts=raw)


seeds['unknown-critical-empty'] = with_ext(('1.2.3.4', b'', True))
seeds['unknown-critical-nested'] = with_ext(('1.3.6.1.4.1.99999.1', seq(seq(seq(tlv(0x04, b'\x00' * 64)))), True))
seeds['unknown-critical-long-oid'] = with_ext(('1.3.6.1.4.1.' + '.'.join(['4294967295'] * 12), b'\x05\x00', True))
seeds['unknown-critical-huge-arc'] = with_ext(('1.2.' + str(2 ** 200), b'\x05\x00', True))
seeds['unknown-critical-many'] = with_ext(*[('1.2.3.%d' % i, b'\x05\x00', True) for i in range(50)])
seeds['policies-critical-odd'] = with_ext((POLICIES, seq(seq(oid('2.5.29.32.0'), seq(seq(oid('1.3.6.1.5.5.7.2.1'),
                                                                                        tlv(0x16, b'\xff' * 300))))), True))
seeds['crldp-and-aia-odd'] = with_ext((CRLDP, seq(seq(tlv(0xa0, tlv(0xa0, tlv(0x86, b'http://x/\x00'))))), False),
                                      (AIA, seq(seq(oid('1.3.6.1.5.5.7.48.1'), tlv(0x86, b''))), False))
seeds['ext-critical-false-explicit'] = with_ext(raw=seq(oid('1.2.3.5'), tlv(0x01, b'\x00'), tlv(0x04, b'')))
seeds['ext-critical-bool-01'] = with_ext(raw=seq(oid('1.2.3.5'), tlv(0x01, b'\x01'), tlv(0x04, b'')))
seeds['ext-value-not-octet-string'] = with_ext(raw=seq(oid('1.2.3.5'), tlv(0x03, b'\x00')))
seeds['duplicate-ku'] = with_ext((KU, bitstring(b'\x80', 7), True))
seeds['exts-1100'] = with_ext(raw=b''.join(seq(oid('1.2.3.%d' % (1000 + i)), tlv(0x04, b'\x00')) for i in range(1100)))
seeds['exts-field-empty'] = cert(exts=[], empty_exts_field=True)
seeds['bc-pathlen-20-octets'] = cert(exts=replace_ext(device_exts(), BC, seq(TRUE, tlv(0x02, b'\x7f' + b'\xff' * 19))))
seeds['bc-pathlen-negative'] = cert(exts=replace_ext(device_exts(), BC, seq(TRUE, tlv(0x02, b'\xff'))))
seeds['bc-not-ca-pathlen'] = cert(exts=replace_ext(device_exts(), BC, seq(tlv(0x02, b'\x00'))))
seeds['eku-1000-oids'] = cert(exts=replace_ext(device_exts(), EKU, seq(*[oid('1.3.6.1.5.5.7.3.%d' % i)
                                                                      for i in range(1000)])))
seeds['eku-empty'] = cert(exts=replace_ext(device_exts(), EKU, seq()))
seeds['aki-keyid-1000-octets'] = cert(exts=replace_ext(device_exts(), AKI, seq(tlv(0x80, b'\x01' * 1000))))
seeds['aki-issuer-serial-only'] = cert(exts=replace_ext(device_exts(), AKI,
                                                        seq(tlv(0xa1, seq(tlv(0xa4, cn('x')))), tlv(0x82, b'\x01'))))
seeds['ski-empty'] = cert(exts=replace_ext(device_exts(), SKI, tlv(0x04, b'')))

# ---- serials, versions, times ----
for n in (0, 21, 64, 65, 127, 128, 1000):
    seeds['serial-%d-octets' % n] = cert(serial=(b'\x01' * n))
seeds['serial-negative'] = cert(serial=b'\x80' + b'\x01' * 19)
seeds['serial-leading-zeros'] = cert(serial=b'\x00' * 10 + b'\x01')
seeds['version-1-with-exts'] = cert(version=None)
seeds['version-255'] = cert(version=0xff)
seeds['time-generalized-2049'] = cert(not_after=tlv(0x18, b'20491231235959Z'))
seeds['time-fraction'] = cert(not_after=tlv(0x18, b'20500101000000.123456789Z'))
seeds['time-70-chars'] = cert(not_before=tlv(0x17, b'2' * 70))
seeds['time-feb-30'] = cert(not_before=tlv(0x17, b'260230120000Z'))

for n, der in seeds.items():
    write('fuzz/corpus/lint/%s.der' % n, der)

# ---- crashers of lib/lint.c (issue 13): regressions for the harnesses that lint ----
crashers = {
    'lint-ku-40-octets.der': seeds['ku-40-octets'],      # stack overflow in ext_key_usage
    'lint-ku-09-octets.der': seeds['ku-09-octets'],      # the smallest that overflowed
    'lint-subject-empty-rdns.der': seeds['subject-three-empty-rdns'],  # memcpy from NULL in set_subject
}
for harness in ('lint', 'cert'):
    for n, der in crashers.items():
        write('fuzz/regressions/%s/%s' % (harness, n), der)

# ---- PKCS#12: unbounded work from a small file (issue 13, item 2) ----
# fuzz/corpus/pkcs12/ec-modern.pfx (OpenSSL 3, password 1234) with its MAC
# iteration count 2048 (02 02 08 00, the file's last INTEGER) patched to
# 2^31-1; the MacData and PFX SEQUENCE lengths grow by the 2 octets. Nothing
# else changes, so the MAC no longer verifies, but computing it takes
# minutes unless the count is refused first.
with open(os.path.join(HERE, 'corpus', 'pkcs12', 'ec-modern.pfx'), 'rb') as f:
    pfx = bytearray(f.read())
assert pfx[-4:] == b'\x02\x02\x08\x00' and pfx[:2] == b'\x30\x82'
mac_at = pfx.rindex(b'\x30\x41\x30\x31')  # MacData: SEQUENCE (65) { DigestInfo (49) ...
pfx = pfx[:-4] + b'\x02\x04\x7f\xff\xff\xff'
pfx[mac_at + 1] += 2
pfx[2:4] = (int.from_bytes(pfx[2:4], 'big') + 2).to_bytes(2, 'big')
write('fuzz/regressions/pkcs12/pfx-mac-iterations-2147483647.pfx', bytes(pfx))

# ---- the certificates tests/cli/lint.sh reads ----
write('tests/data/lint/device-two-cn.pem', pem(seeds['subject-two-cn-rdns']))
write('tests/data/lint/device-ku-40-octets.pem', pem(seeds['ku-40-octets']))
write('tests/data/lint/device-empty-rdns.pem', pem(seeds['subject-three-empty-rdns']))

for rel in sorted(written):
    print('%6d %s' % (written[rel], rel))
print('%d files' % len(written))
