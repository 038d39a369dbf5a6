#!/usr/bin/env python3
"""Generate the hostile PKCS#12 and encrypted-key inputs of tests/test_pkcs12.c,
tests/test_key.c and tests/cli/p12key.sh.

Run from anywhere:  tests/data/p12key/generate.py [FIXTURES_DIR]
(default FIXTURES_DIR: tests/data/foreign in this repository).

Most files are the foreign fixtures with one field changed (an iteration
count, a count of contents or bags): the DER is parsed into a tree
(tests/data/datagen.py), the field replaced, and the tree encoded again with
its lengths recomputed, so running the script again gives identical bytes. The files marked "openssl" in
MANIFEST come from `openssl pkcs12 -export` / `openssl pkcs8 -topk8` with the
fixtures' keys, whose salts are random: a new run gives other bytes with the
same structure. The outputs are committed; the tests read them and never run
this script. Add a file here and its expectations to the tests together.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', 'foreign')
sys.path.insert(0, os.path.join(HERE, '..'))
from datagen import Node, integer, make_out, parse, pem, pem_body, read_file  # noqa: E402

manifest = []
out = make_out(HERE, manifest)


def fixture(rel):
    return read_file(FIX, rel)


def openssl(*args):
    return subprocess.run(['openssl'] + list(args), check=True, capture_output=True).stdout


# PFX: SEQUENCE { version, authSafe ContentInfo { OID, [0] { OCTET STRING } }, macData }
def auth_safe(pfx):
    return parse(pfx[1][1][0].content)


def set_auth_safe(pfx, auth):
    pfx[1][1][0].content = auth.encode()


def pbkdf2_params(alg):
    """PBKDF2-params of a PBES2 AlgorithmIdentifier."""
    return alg[1][0][1]


MAX = 2000000  # IOTX509_PKCS12_MAX_ITERATIONS, IOTX509_KEY_MAX_ITERATIONS

# ---- PKCS#12: the create_test_cert fixture, password 1234 ----
# Its AuthenticatedSafe: #1 EncryptedData (the certificate, PBES2/PBKDF2),
# #2 Data (a SafeContents with one pkcs8ShroudedKeyBag, PBES2/PBKDF2).
PFX = fixture('create_test_cert/sampleDevice01.pfx')


def mac_iterations(value, name, what):
    p = parse(PFX)
    p[2].children[2] = integer(value)
    out(name, p.encode(), what)


mac_iterations(2**31 - 1, 'pfx-mac-iterations-2147483647.pfx', 'MAC iteration count 2^31-1')
mac_iterations(MAX + 1, 'pfx-mac-iterations-2000001.pfx', 'MAC iteration count one above the limit')
mac_iterations(MAX, 'pfx-mac-iterations-2000000.pfx', 'MAC iteration count at the limit (the MAC no longer verifies)')
mac_iterations(2**70, 'pfx-mac-iterations-9-octets.pfx', 'MAC iteration count 2^70, a 9-octet INTEGER')
mac_iterations(0, 'pfx-mac-iterations-0.pfx', 'MAC iteration count 0')
mac_iterations(-1, 'pfx-mac-iterations-negative.pfx', 'MAC iteration count -1')

p = parse(PFX)
auth = auth_safe(p)
pbkdf2_params(auth[0][1][0][1][1]).children[1] = integer(2**31 - 1)
set_auth_safe(p, auth)
out('pfx-certs-pbkdf2-2147483647.pfx', p.encode(), 'encrypted certificates: PBKDF2 iteration count 2^31-1')

p = parse(PFX)
auth = auth_safe(p)
sc = parse(auth[1][1][0].content)
pbkdf2_params(sc[0][1][0][0]).children[1] = integer(2**31 - 1)
auth[1][1][0].content = sc.encode()
set_auth_safe(p, auth)
out('pfx-key-pbkdf2-2147483647.pfx', p.encode(), 'shrouded key bag: PBKDF2 iteration count 2^31-1')

# Five encrypted contents of 1.9 million iterations each: every count is
# within the limit, their sum (9.5 million) is not.
p = parse(PFX)
auth = auth_safe(p)
enc = auth[0]
pbkdf2_params(enc[1][0][1][1]).children[1] = integer(1900000)
auth.children = [Node(enc.tag, children=list(enc.children)) for _ in range(5)] + [auth[1]]
set_auth_safe(p, auth)
out('pfx-five-contents-1900000-each.pfx', p.encode(),
    'five encrypted contents of 1.9 million PBKDF2 iterations each (9.5 million in all)')

OID_DATA = bytes.fromhex('06092a864886f70d010701')
OID_SECRET_BAG = bytes.fromhex('060b2a864886f70d010c0a0105')
# ContentInfo { data, [0] { OCTET STRING { an empty SafeContents } } }
EMPTY_DATA = Node(0x30, content=OID_DATA + bytes.fromhex('a004' '0402' '3000'))
# SafeBag { secretBag, [0] { NULL } }: a bag GnuTLS skips
SECRET_BAG = Node(0x30, content=OID_SECRET_BAG + bytes.fromhex('a002' '0500'))

p = parse(PFX)
auth = auth_safe(p)
auth.children = [auth[0], auth[1]] + [EMPTY_DATA] * 31
set_auth_safe(p, auth)
out('pfx-33-contents.pfx', p.encode(), '33 contents: the two of the fixture and 31 empty ones')

p = parse(PFX)
auth = auth_safe(p)
sc = parse(auth[1][1][0].content)
sc.children = [sc[0]] + [SECRET_BAG] * 32
auth[1][1][0].content = sc.encode()
set_auth_safe(p, auth)
out('pfx-33-bags.pfx', p.encode(), 'a SafeContents in clear with 33 bags: the key bag and 32 secret bags')

# ---- PKCS#12 written by openssl (random salts) ----
with tempfile.TemporaryDirectory() as tmp:
    key = os.path.join(FIX, 'create_test_cert/sampleDevice01_key.pem')
    cert = os.path.join(FIX, 'create_test_cert/sampleDevice01_cert.pem')
    export = ['pkcs12', '-export', '-inkey', key, '-in', cert, '-name', 'sample-device-01']
    out('pfx-md5-mac.pfx', openssl(*export, '-macalg', 'md5', '-passout', 'pass:1234'),
        'openssl: a MAC with MD5 (password 1234)')
    out('pfx-no-mac.pfx', openssl(*export, '-nomac', '-passout', 'pass:1234'),
        'openssl: no MAC, the key encrypted (password 1234), the certificate in clear')
    # A wrong password that decrypts this file's certificates to bytes with a
    # valid CBC padding (about 1 in 250; test_pkcs12.c tries w0..w399) must
    # still be a wrong password: a regenerated file has other such passwords.
    out('pfx-no-mac-certs-encrypted.pfx',
        openssl(*export, '-nomac', '-certpbe', 'AES-256-CBC', '-passout', 'pass:1234'),
        'openssl: no MAC, certificates and key encrypted (password 1234; wrong password w258 passes the padding check)')
    out('pfx-no-mac-no-encryption.pfx',
        openssl(*export, '-nomac', '-keypbe', 'NONE', '-certpbe', 'NONE', '-passout', 'pass:1234'),
        'openssl: neither MAC nor encryption')
    out('pfx-empty-password.pfx', openssl(*export, '-passout', 'pass:'),
        'openssl: the empty password (written as an empty BMPString)')
    legacy = openssl(*export, '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1',
                     '-passout', 'pass:1234')
    p = parse(legacy)
    auth = auth_safe(p)
    # openssl writes the key content last; its bag's pkcs-12PbeParams.
    sc = parse(auth[-1][1][0].content)
    sc[0][1][0][0][1].children[1] = integer(2**31 - 1)
    auth[-1][1][0].content = sc.encode()
    set_auth_safe(p, auth)
    out('pfx-key-pkcs12-3des-2147483647.pfx', p.encode(),
        'openssl: shrouded key bag with pbeWithSHAAnd3-KeyTripleDES-CBC, iteration count 2^31-1')

# ---- encrypted PKCS#8 keys ----
# The certgen root CA key: PBES2, PBKDF2-HMAC-SHA256, 2048 iterations, password 1234.
ENC = pem_body(fixture('certgen_sh/azure-iot-test-only.root.ca.key.pem'))


def key_iterations(value):
    k = parse(ENC)
    pbkdf2_params(k[0]).children[1] = integer(value)
    return k.encode()


out('key-pbkdf2-2147483647.pem', pem('ENCRYPTED PRIVATE KEY', key_iterations(2**31 - 1)),
    'encrypted PKCS#8: PBKDF2 iteration count 2^31-1')
out('key-pbkdf2-2147483647.der', key_iterations(2**31 - 1), 'the same in DER')
out('key-pbkdf2-2000001.pem', pem('ENCRYPTED PRIVATE KEY', key_iterations(MAX + 1)),
    'encrypted PKCS#8: PBKDF2 iteration count one above the limit')
out('key-pbkdf2-2000000.pem', pem('ENCRYPTED PRIVATE KEY', key_iterations(MAX)),
    'encrypted PKCS#8: PBKDF2 iteration count at the limit (the key no longer decrypts)')
out('key-pbkdf2-2147483647-labelled-plain.pem', pem('PRIVATE KEY', key_iterations(2**31 - 1)),
    'encrypted PKCS#8 with iteration count 2^31-1 labelled PRIVATE KEY')

plain = os.path.join(FIX, 'certgen_sh/new-device.key.pem')
p = parse(pem_body(openssl('pkcs8', '-topk8', '-v1', 'PBE-SHA1-3DES', '-in', plain, '-passout', 'pass:1234')))
p[0][1].children[1] = integer(2**31 - 1)
out('key-pkcs12-3des-2147483647.pem', pem('ENCRYPTED PRIVATE KEY', p.encode()),
    'openssl: encrypted PKCS#8 with pbeWithSHAAnd3-KeyTripleDES-CBC, iteration count 2^31-1')
out('key-scrypt.pem', openssl('pkcs8', '-topk8', '-scrypt', '-in', plain, '-passout', 'pass:1234'),
    'openssl: encrypted PKCS#8 with scrypt (password 1234)')

with open(os.path.join(HERE, 'MANIFEST'), 'w') as f:
    f.write('# Generated by generate.py: file, then what it is ("openssl": random salts).\n')
    for name, what in sorted(manifest):
        f.write('%s\t%s\n' % (name, what))
