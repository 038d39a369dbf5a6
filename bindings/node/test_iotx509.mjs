// Tests of the Node binding (bindings/iotx509.i), run with `node --test` by
// `make check`: every public function of include/iotx509/*.h is called,
// errors carry code, codeName and message, borrowed objects outlive their
// parent, create/free cycles keep the RSS flat, and a .pfx made through Node
// holds exactly what the C library's (the CLI's) holds for the same inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const x = require(process.env.IOTX509_NODE_ADDON || "iotx509");
const TOP = process.env.IOTX509_TOP_SRCDIR;
const BUILD = process.env.IOTX509_TOP_BUILDDIR;
const QUICK = process.env.IOTX509_TEST_QUICK === "1";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iotx509-node."));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));

// Every declaration in the public headers: name and parameters (C types).
function declarations() {
  const dir = path.join(TOP, "include", "iotx509");
  const out = [];
  for (const h of fs.readdirSync(dir).filter((f) => f.endsWith(".h")).sort()) {
    const text = fs.readFileSync(path.join(dir, h), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const m of text.matchAll(/IOTX509_EXTERN[^;(]*?\biotx509_(\w+)\s*\(([^)]*)\)\s*;/g)) {
      const params = m[2].split(",").map((p) => p.trim().replace(/\s+/g, " ")).filter((p) => p && p !== "void");
      out.push({ name: m[1], params });
    }
  }
  return out;
}

// The JavaScript arguments of a declaration: out-parameters return, (data, size) is one Buffer.
function jsParams(params) {
  const js = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const pname = p.match(/(\w+)$/)[1];
    if (/\*\*\s*out$/.test(p) || /\*\s*(out|major|minor|patch)$/.test(p)) continue;
    if (/unsigned char \*\s*(data|der)$/.test(p)) { js.push({ ctype: "bytes", pname }); i++; continue; }
    js.push({ ctype: p.slice(0, -pname.length).replace(/const|\*/g, "").trim(), pname });
  }
  return js;
}

const opts = new x.IssueOptions();
const w = {};
w.key = x.key_generate(x.KEY_P256);
w.root = x.issue_root(w.key, "Test Root", opts);
w.issuer = x.issuer_new(w.root, w.key);
w.dkey = x.key_generate(x.KEY_P256);
w.cert = x.issue_device(w.issuer, w.dkey, "dev-1", opts);
w.certlist = x.certlist_new(); x.certlist_add(w.certlist, w.cert); x.certlist_add(w.certlist, w.root);
w.anchors = x.certlist_new(); x.certlist_add(w.anchors, w.root);
w.csr = x.csr_new(w.dkey, "dev-1", new x.CsrOptions());
w.credential = x.credential_new(w.cert, w.dkey, w.anchors, null);
w.root_cred = x.credential_new(w.root, w.key, w.anchors, null);
w.pfx = x.credential_export_pkcs12(w.credential, "1234", new x.Pkcs12Options());
w.pkcs12 = x.pkcs12_import(w.pfx, "1234", null);
w.strlist = x.strlist_new(); x.strlist_add(w.strlist, "localhost");
w.enrollment = x.enrollment_new(x.ENROLLMENT_INDIVIDUAL, "dev-1");
x.enrollment_set_cert(w.enrollment, x.ENROLLMENT_PRIMARY, w.cert);
w.enrollment_list = x.enrollment_list_new(); x.enrollment_list_add(w.enrollment_list, w.enrollment);
w.enrollment_result = x.enrollment_check(w.enrollment_list, w.certlist, new x.EnrollmentCheckOptions());
const certdir = path.join(tmp, "certs");
fs.mkdirSync(certdir);
x.cert_save(w.cert, path.join(certdir, "dev-1_cert.pem"), null);
x.cert_save(w.root, path.join(certdir, "root_cert.pem"), null);
x.key_save(w.dkey, path.join(certdir, "dev-1_key.pem"), null, null);
x.key_save(w.key, path.join(certdir, "root_key.pem"), null, null);
w.expiry = x.expiry_new(new x.ExpiryOptions()); x.expiry_add_path(w.expiry, certdir);
w.tree = x.tree_new(new x.TreeOptions()); x.tree_add_path(w.tree, certdir);
w.lint_result = x.lint_cert(w.cert, new x.LintOptions());
const ids = path.join(tmp, "ids.txt");
fs.writeFileSync(ids, "batch-1\nbatch-2\n");
const bopts = new x.BatchOptions();
bopts.parent = w.root_cred; bopts.ids_path = ids; bopts.out_dir = path.join(tmp, "batch-out");
fs.mkdirSync(bopts.out_dir);
w.batch = x.batch_new(bopts);
x.batch_run(w.batch, 0);
try { w.pkcs11_list = x.pkcs11_list_objects("pkcs11:", new x.KeyOpenOptions()); } catch { w.pkcs11_list = null; }
let n = 0;

const snake = (s) => s.replace(/^iotx509_/, "");
function arg(ctype, pname) {
  if (ctype === "bytes") return pname === "der" ? x.cert_export_der(w.cert) : x.cert_export_pem(w.cert);
  if (ctype.endsWith("_options")) {
    const cls = snake(ctype).split("_").map((s) => s[0].toUpperCase() + s.slice(1)).join("");
    return new x[cls]();
  }
  if (ctype === "iotx509_buf") return new x.Buf();
  if (ctype === "iotx509_fileset") return x.fileset_new();
  if (ctype.startsWith("iotx509_") && w[snake(ctype)] !== undefined) {
    if (["ca_cert", "old_ca", "new_ca"].includes(pname) || (ctype === "iotx509_cert" && pname === "old")) return w.root;
    if (ctype === "iotx509_certlist" && pname === "anchors") return w.anchors;
    if (ctype === "iotx509_credential" && pname === "parent") return w.root_cred;
    return w[snake(ctype)];
  }
  if (ctype === "char") {
    const table = { password: null, key_password: null, nonce: "1234ABCD", id_scope: "0ne00000000", dir: tmp,
      source: "test", text: "a\tb", label: "test", id: "x", thumbprint: x.cert_get_thumbprint_sha1(w.cert) };
    if (pname in table) return table[pname];
    if (["cert_path", "ref", "local_path"].includes(pname)) return path.join(certdir, "dev-1_cert.pem");
    if (pname === "key_path") return path.join(certdir, "dev-1_key.pem");
    if (pname.endsWith("url")) return "pkcs11:token=iotx509-no-such-token";
    if (pname === "path") return path.join(tmp, `out-${++n}.pem`);
    return "dev-1";
  }
  return 0;
}

test("every public function is wrapped and called", () => {
  const decls = declarations();
  assert.ok(decls.length > 200);
  const failed = [];
  for (const { name, params } of decls) {
    if (name.endsWith("_free")) continue; // destructors of the objects
    const fn = x[name];
    if (typeof fn !== "function") { failed.push(`${name}: not wrapped`); continue; }
    const args = jsParams(params).map((p) => arg(p.ctype, p.pname));
    try {
      fn(...args);
    } catch (e) {
      if (e.name !== "Iotx509Error") failed.push(`${name}(${params.join(", ")}): ${e.message}`);
      else assert.ok(e.code < 0 && e.codeName, name);
    }
  }
  assert.deepEqual(failed, []);
});

test("a wrong .pfx password throws the wrong-password error", () => {
  assert.throws(() => x.pkcs12_import(w.pfx, "not-the-password", null), (e) => {
    assert.equal(e.name, "Iotx509Error");
    assert.equal(e.code, x.EPASSWORD);
    assert.equal(e.codeName, x.strerror(x.EPASSWORD));
    assert.ok(e.message.length > 0 && !e.message.includes("not-the-password"));
    return true;
  });
});

test("a borrowed object outlives its parent", () => {
  let list = x.certlist_new();
  x.certlist_add(list, x.cert_import(x.cert_export_pem(w.cert)));
  const child = x.certlist_get(list, 0);
  list = null;
  global.gc?.();
  assert.equal(x.cert_get_subject_cn(child), "dev-1");
});

test("a .pfx made through Node holds what the C library's holds", () => {
  const certFile = path.join(tmp, "p-cert.pem"), keyFile = path.join(tmp, "p-key.pem");
  const chainFile = path.join(tmp, "p-chain.pem"), cPfx = path.join(tmp, "c.pfx");
  fs.writeFileSync(certFile, x.cert_export_pem(w.cert));
  fs.writeFileSync(keyFile, x.key_export_pem(w.dkey, null));
  fs.writeFileSync(chainFile, x.cert_export_pem(w.root));
  execFileSync(path.join(BUILD, "src", "iotx509"), ["p12", "export", "--cert", certFile, "--key", keyFile,
    "--chain", chainFile, "--out", cPfx, "--password", "1234"], { stdio: "pipe" });
  const fromC = fs.readFileSync(cPfx);
  const fromNode = x.credential_export_pkcs12(w.credential, "1234", new x.Pkcs12Options());
  // Fresh random salts and IVs make two exports differ in bytes (the library
  // has no fixed-salt mode), so compare the structure size and every decoded part.
  assert.equal(fromNode.length, fromC.length);
  const a = x.pkcs12_import(fromNode, "1234", null), b = x.pkcs12_import(fromC, "1234", null);
  assert.deepEqual(x.cert_export_der(x.pkcs12_get_leaf(a)), x.cert_export_der(x.pkcs12_get_leaf(b)));
  assert.deepEqual(x.key_export_der(x.pkcs12_get_key(a), null), x.key_export_der(x.pkcs12_get_key(b), null));
  assert.deepEqual(x.certlist_export_pem(x.pkcs12_get_chain(a)), x.certlist_export_pem(x.pkcs12_get_chain(b)));
  assert.equal(x.pkcs12_get_friendly_name(a), x.pkcs12_get_friendly_name(b));
  assert.equal(x.pkcs12_get_protection(a), x.pkcs12_get_protection(b));
  // The bytes survive the binding exactly: Node's Buffer is the library's output.
  const again = x.credential_import_pkcs12(fromNode, "1234", null);
  assert.deepEqual(x.cert_export_der(x.credential_get_cert(again)), x.cert_export_der(w.cert));
});

test("binary data crosses the binding byte for byte, both ways", () => {
  // C -> Buffer: a .pfx the C tool wrote, read by the library, is the file's bytes.
  const cPfx = path.join(tmp, "exact-c.pfx");
  execFileSync(path.join(BUILD, "src", "iotx509"), ["p12", "export", "--cert", path.join(tmp, "p-cert.pem"),
    "--key", path.join(tmp, "p-key.pem"), "--out", cPfx, "--password", "1234"], { stdio: "pipe" });
  assert.ok(x.file_read(cPfx).equals(fs.readFileSync(cPfx)));
  // Buffer -> C: a .pfx exported through Node, written by the library, is the Buffer's bytes.
  const fromNode = x.credential_export_pkcs12(w.credential, "1234", new x.Pkcs12Options());
  const nPfx = path.join(tmp, "exact-node.pfx");
  x.file_write(nPfx, fromNode, null);
  assert.ok(fs.readFileSync(nPfx).equals(fromNode));
  // Every byte value, NUL and 0x80..0xff included, and no terminator added.
  const all = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
  const allPath = path.join(tmp, "all-bytes.bin");
  x.file_write(allPath, all, null);
  const back = x.file_read(allPath);
  assert.equal(back.length, 512);
  assert.ok(back.equals(all));
});

test("10,000 create/free cycles keep the RSS flat", () => {
  const count = QUICK ? 1000 : 10000;
  const pem = x.cert_export_pem(w.cert);
  const cycle = (k) => {
    for (let i = 0; i < k; i++) {
      const c = x.cert_import(pem);
      const l = x.certlist_new();
      x.certlist_add(l, c);
      x.cert_export_der(x.certlist_get(l, 0));
      try { x.pkcs12_import(Buffer.from("junk"), "x", null); } catch { /* expected */ }
    }
    global.gc?.();
  };
  cycle(count); // V8 grows its heaps to a steady size on the first round
  const before = process.memoryUsage().rss;
  cycle(count);
  const grown = process.memoryUsage().rss - before;
  assert.ok(grown < 8 * 1024 * 1024, `RSS grew by ${grown} bytes over ${count} cycles`);
});
