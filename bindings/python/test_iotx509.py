#!/usr/bin/env python3
"""Tests of the Python binding (bindings/iotx509.i): every public function of
include/iotx509/*.h is called, errors map to iotx509.Error, borrowed objects
outlive their parent, and create/free cycles do not grow the RSS.

Run by `make check` (bindings/local.mk sets PYTHONPATH and LD_LIBRARY_PATH)
and under valgrind by `make check-python-valgrind` (IOTX509_TEST_QUICK=1
shortens the RSS loop there).
"""
import gc
import os
import re
import shutil
import sys
import tempfile
import unittest

import iotx509

TOP = os.environ.get("IOTX509_TOP_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
QUICK = os.environ.get("IOTX509_TEST_QUICK") == "1"


def public_functions():
    """Every function the public headers declare, without its iotx509_ prefix."""
    names = set()
    hdir = os.path.join(TOP, "include", "iotx509")
    for h in sorted(os.listdir(hdir)):
        if h.endswith(".h"):
            with open(os.path.join(hdir, h)) as f:
                text = f.read()
            names.update(re.findall(r"IOTX509_EXTERN[^;(]*?\biotx509_(\w+)\s*\(", text, re.S))
    return names


def header_types(pattern):
    """Names matched by pattern in the public headers (e.g. the typedefs)."""
    names = set()
    hdir = os.path.join(TOP, "include", "iotx509")
    for h in os.listdir(hdir):
        if h.endswith(".h"):
            with open(os.path.join(hdir, h)) as f:
                names.update(re.findall(pattern, f.read()))
    return names


def camel(name):
    return "".join(p[:1].upper() + p[1:] for p in name.split("_"))


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class World:
    """One of each object, for calling any function with arguments of its types."""

    def __init__(self, tmp):
        x = iotx509
        self.tmp = tmp
        self.n = 0
        opts = x.IssueOptions()
        self.key = x.key_generate(x.KEY_P256)
        self.root = x.issue_root(self.key, "Test Root", opts)
        self.issuer = x.issuer_new(self.root, self.key)
        self.dkey = x.key_generate(x.KEY_P256)
        self.cert = x.issue_device(self.issuer, self.dkey, "dev-1", opts)
        self.certlist = x.certlist_new()
        x.certlist_add(self.certlist, self.cert)
        x.certlist_add(self.certlist, self.root)
        self.anchors = x.certlist_new()
        x.certlist_add(self.anchors, self.root)
        self.csr = x.csr_new(self.dkey, "dev-1", x.CsrOptions())
        self.credential = x.credential_new(self.cert, self.dkey, self.anchors, None)
        self.root_cred = x.credential_new(self.root, self.key, self.anchors, None)
        self.pfx = x.credential_export_pkcs12(self.credential, "1234", x.Pkcs12Options())
        self.pkcs12 = x.pkcs12_import(self.pfx, "1234", None)
        self.strlist = x.strlist_new()
        x.strlist_add(self.strlist, "localhost")
        self.enrollment = x.enrollment_new(x.ENROLLMENT_INDIVIDUAL, "dev-1")
        x.enrollment_set_cert(self.enrollment, x.ENROLLMENT_PRIMARY, self.cert)
        self.enrollment_list = x.enrollment_list_new()
        x.enrollment_list_add(self.enrollment_list, self.enrollment)
        self.enrollment_result = x.enrollment_check(self.enrollment_list, self.certlist, x.EnrollmentCheckOptions())
        self.certdir = os.path.join(tmp, "certs")
        os.mkdir(self.certdir)
        x.cert_save(self.cert, os.path.join(self.certdir, "dev-1_cert.pem"), None)
        x.cert_save(self.root, os.path.join(self.certdir, "root_cert.pem"), None)
        x.key_save(self.dkey, os.path.join(self.certdir, "dev-1_key.pem"), None, None)
        x.key_save(self.key, os.path.join(self.certdir, "root_key.pem"), None, None)
        x.csr_save(self.csr, os.path.join(self.certdir, "dev-1_csr.pem"), None)
        self.expiry = x.expiry_new(x.ExpiryOptions())
        x.expiry_add_path(self.expiry, self.certdir)
        self.tree = x.tree_new(x.TreeOptions())
        x.tree_add_path(self.tree, self.certdir)
        self.lint_result = x.lint_cert(self.cert, x.LintOptions())
        ids = os.path.join(tmp, "ids.txt")
        with open(ids, "w") as f:
            f.write("batch-1\nbatch-2\n")
        bopts = x.BatchOptions()
        bopts.parent = self.root_cred
        bopts.ids_path = ids
        bopts.out_dir = os.path.join(tmp, "batch-out")
        os.mkdir(bopts.out_dir)
        self.batch = x.batch_new(bopts)
        x.batch_run(self.batch, 0)
        self.fileset = x.fileset_new()
        try:
            self.pkcs11_list = x.pkcs11_list_objects("pkcs11:", x.KeyOpenOptions())
        except x.Error:
            self.pkcs11_list = None

    def path(self, suffix=".pem"):
        self.n += 1
        return os.path.join(self.tmp, "out-%d%s" % (self.n, suffix))

    def arg(self, ctype, pname):
        """A value for one parameter, from its type and name."""
        x = iotx509
        obj = getattr(self, re.sub(r"(?<!^)(?=[A-Z])", "_", ctype).lower(), None)
        if ctype.endswith("Options"):
            return getattr(x, ctype)()
        if ctype == "Buf":
            return x.Buf()
        if ctype == "Fileset":
            return x.fileset_new()
        if obj is not None and not isinstance(obj, (str, int)):
            if pname in ("ca_cert", "old_ca", "new_ca", "verification_cert") or (ctype == "Cert" and pname == "old"):
                return self.root if pname != "verification_cert" else self.cert
            if ctype == "Certlist" and pname in ("anchors",):
                return self.anchors
            if ctype == "Credential" and pname == "parent":
                return self.root_cred
            return obj
        if "unsigned char const *" in ctype:
            return iotx509.cert_export_der(self.cert) if pname == "der" else iotx509.cert_export_pem(self.cert)
        if "char const *" in ctype:
            table = {"password": None, "key_password": None, "nonce": "1234ABCD", "id_scope": "0ne00000000",
                     "thumbprint": self.cert.thumbprint_sha1, "dir": self.tmp, "source": "test",
                     "text": "a\tb", "label": "test", "id": "IOTX509_POP_NONCE"}
            if pname in table:
                return table[pname]
            if pname in ("cert_path", "ref", "local_path"):
                return os.path.join(self.certdir, "dev-1_cert.pem")
            if pname == "key_path":
                return os.path.join(self.certdir, "dev-1_key.pem")
            if pname.endswith("url"):
                return "pkcs11:token=iotx509-no-such-token"
            if pname == "path":
                return self.path()
            return "dev-1"
        if ctype.startswith("int64_t"):
            return 0
        return 0


class TestShapes(unittest.TestCase):
    """Every type of the headers has its line in bindings/iotx509.i."""

    def test_every_handle_type_is_a_class_that_frees(self):
        """An opaque type of the headers without its IOTX509_HANDLE line in
        bindings/iotx509.i would be a bare pointer that is never freed."""
        opaque = header_types(r"typedef struct iotx509_(\w+) iotx509_\w+;")
        self.assertIn("cert", opaque)
        bad = sorted(t for t in opaque if not hasattr(getattr(iotx509, camel(t), None), "__swig_destroy__"))
        self.assertEqual(bad, [], "no IOTX509_HANDLE line in bindings/iotx509.i")

    def test_every_options_struct_starts_from_its_defaults(self):
        """Without its IOTX509_OPTIONS line a struct would start zero-filled, version 0."""
        structs = header_types(r"typedef struct iotx509_(\w+_options) \{")
        self.assertIn("issue_options", structs)
        classes = {t: getattr(iotx509, camel(t), None) for t in structs}
        bad = sorted(t for t, cls in classes.items() if cls is None or cls().version == 0)
        self.assertEqual(bad, [], "no IOTX509_OPTIONS line in bindings/iotx509.i")


class TestBinding(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="iotx509-py.")
        cls.w = World(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        del cls.w  # free every object now, so valgrind sees them freed
        gc.collect()
        shutil.rmtree(cls.tmp)

    def test_every_public_function_is_called(self):
        """Each header function is wrapped and called once with arguments of
        its types (results or iotx509.Error both count: the wrapper ran)."""
        declared = public_functions()
        self.assertGreater(len(declared), 200)
        wrapped = {n for n in declared if callable(getattr(iotx509, n, None))}
        # The _free functions are the objects' destructors, not functions.
        missing = sorted(n for n in declared - wrapped if not n.endswith("_free"))
        self.assertEqual(missing, [], "declared in include/iotx509 but not wrapped")
        called, failed = set(), []
        for name in sorted(wrapped):
            fn = getattr(iotx509, name)
            sig = re.match(r"\w+\((.*?)\)", fn.__doc__)
            params = [p.strip() for p in sig.group(1).split(",") if p.strip()] if sig else []
            args = []
            for p in params:
                ctype, _, pname = p.rpartition(" ")
                args.append(self.w.arg(ctype, pname))
            try:
                fn(*args)
            except iotx509.Error as e:
                self.assertLess(e.code, 0, name)
                self.assertTrue(e.name, name)
            except TypeError as e:
                failed.append("%s%r: %s" % (name, tuple(params), e))
                continue
            called.add(name)
        self.assertEqual(failed, [])
        self.assertEqual(sorted(wrapped - called), [])

    def test_wrong_pfx_password_raises_with_code_and_message(self):
        with self.assertRaises(iotx509.Error) as cm:
            iotx509.pkcs12_import(self.w.pfx, "not-the-password", None)
        e = cm.exception
        self.assertEqual(e.code, iotx509.EPASSWORD)
        self.assertEqual(e.name, iotx509.strerror(iotx509.EPASSWORD))
        self.assertTrue(e.message)
        self.assertNotIn("not-the-password", e.message)  # secrets never in messages

    def test_errors_name_code_and_last_message(self):
        with self.assertRaises(iotx509.Error) as cm:
            iotx509.cert_import(b"not a certificate")
        self.assertEqual(cm.exception.code, iotx509.EPARSE)
        self.assertIn("not a certificate", cm.exception.message)
        self.assertEqual(iotx509.error_last_code(), iotx509.EPARSE)

    def test_bytes_round_trip_exactly(self):
        der = iotx509.cert_export_der(self.w.cert)
        self.assertIsInstance(der, bytes)
        self.assertEqual(iotx509.cert_export_der(iotx509.cert_import(der)), der)
        self.assertEqual(iotx509.cert_export_der(iotx509.cert_import(bytearray(der))), der)
        p12 = iotx509.pkcs12_import(self.w.pfx, "1234", None)
        self.assertEqual(iotx509.pkcs12_get_leaf(p12).thumbprint_sha256, self.w.cert.thumbprint_sha256)
        # bytes -> C -> file and file -> C -> bytes: every byte value, NUL included, nothing added.
        data = bytes(i % 256 for i in range(512))
        path = os.path.join(self.tmp, "all-bytes.bin")
        iotx509.file_write(path, data, None)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), data)
        self.assertEqual(iotx509.file_read(path), data)
        pfx_path = os.path.join(self.tmp, "exact.pfx")
        iotx509.file_write(pfx_path, self.w.pfx, None)
        with open(pfx_path, "rb") as f:
            self.assertEqual(f.read(), self.w.pfx)

    def test_options_start_from_defaults(self):
        o = iotx509.IssueOptions()
        self.assertEqual(o.version, iotx509.ISSUE_OPTIONS_VERSION)
        self.assertEqual(o.id_policy, iotx509.ID_POLICY_DPS)
        self.assertEqual(iotx509.Pkcs12Options().profile, iotx509.PKCS12_MODERN)

    def test_enum_out_parameters_are_ints(self):
        self.assertEqual(iotx509.key_type_from_name("p256"), iotx509.KEY_P256)
        status = iotx509.chain_verify(self.w.certlist, self.w.anchors, iotx509.VerifyOptions())
        self.assertEqual(status, iotx509.VERIFY_OK)

    def test_borrowed_child_outlives_its_parent(self):
        lst = iotx509.certlist_new()
        iotx509.certlist_add(lst, iotx509.cert_import(iotx509.cert_export_pem(self.w.cert)))
        child = iotx509.certlist_get(lst, 0)
        p12 = iotx509.pkcs12_import(self.w.pfx, "1234", None)
        key = iotx509.pkcs12_get_key(p12)
        del lst, p12
        gc.collect()
        self.assertEqual(child.subject_cn, "dev-1")
        self.assertEqual(iotx509.key_get_bits(key), 256)

    def test_context_manager_frees_and_properties_read(self):
        with iotx509.key_generate(iotx509.KEY_P256) as k:
            self.assertEqual(k.bits, 256)
            self.assertEqual(k.algorithm, iotx509.ALG_ECDSA)
        with self.assertRaises(TypeError):
            k.bits  # freed: refused, not a use after free
        k.close()  # idempotent
        self.assertEqual(self.w.cert.subject_cn, "dev-1")
        self.assertEqual(self.w.certlist.count, 2)

    def test_create_free_cycles_keep_rss_flat(self):
        n = 1000 if QUICK else 10000
        pem = iotx509.cert_export_pem(self.w.cert)

        def cycle(count):
            for _ in range(count):
                c = iotx509.cert_import(pem)
                lst = iotx509.certlist_new()
                iotx509.certlist_add(lst, c)
                iotx509.cert_export_der(iotx509.certlist_get(lst, 0))
                try:
                    iotx509.pkcs12_import(b"junk", "x", None)
                except iotx509.Error:
                    pass
                del c, lst
        cycle(n // 10)  # warm up allocator pools
        gc.collect()
        before = rss_kib()
        cycle(n)
        gc.collect()
        grown = rss_kib() - before
        self.assertLess(grown, 4 * 1024, "RSS grew by %d KiB over %d cycles" % (grown, n))


if __name__ == "__main__":
    unittest.main(verbosity=2)
