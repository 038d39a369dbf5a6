// The documented flows through the Node binding (doc/bindings.md).
//
//   node device_flow.mjs [NONCE]
//
// Root CA, a device under it, a verification certificate for NONCE (default
// 1234ABCD), an individual enrollment's primary and secondary certificates
// (same CN), the device's .pfx with the documented password (1234); then a
// mutual-TLS handshake on 127.0.0.1 with Node's tls and Buffers only: the
// server requires a client certificate, trusts only the root and reports the
// peer's CN, which must be the device ID; a device from another root is
// refused. Exits non-zero on any failure.
import tls from "node:tls";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const x = require(process.env.IOTX509_NODE_ADDON || "iotx509");

const PFX_PASSWORD = "1234"; // what create_test_cert.js and certGen.sh use
const DEVICE_ID = "sample-device-01";
const nonce = process.argv[2] || "1234ABCD";

function identity(issuer, id) {
  const key = x.key_generate(x.KEY_P256);
  return { cert: x.issue_device(issuer, key, id, new x.IssueOptions()), key };
}

// One mutual-TLS connection; resolves with what the server saw.
function handshake(rootPem, server, clientOptions) {
  return new Promise((resolve) => {
    const seen = {};
    const srv = tls.createServer({
      cert: x.certlist_export_pem(x.credential_get_chain(server)),
      key: x.key_export_pem(x.credential_get_key(server), null),
      ca: rootPem, // only the root
      requestCert: true,
      rejectUnauthorized: true,
    }, (sock) => {
      seen.cn = sock.getPeerCertificate().subject.CN;
      sock.end(`hello ${seen.cn}\n`);
    });
    srv.on("tlsClientError", (e) => { seen.refused = e.message; });
    srv.listen(0, "127.0.0.1", () => {
      const c = tls.connect({ host: "127.0.0.1", port: srv.address().port, servername: "localhost",
        ca: rootPem, ...clientOptions });
      c.on("data", (d) => { seen.reply = d.toString(); });
      c.on("error", (e) => { seen.clientError = e.message; });
      c.on("close", () => srv.close(() => resolve(seen)));
    });
  });
}

x.id_validate_nonce(nonce);
const opts = new x.IssueOptions();
const rootKey = x.key_generate(x.KEY_P256);
const root = x.issue_root(rootKey, "Azure IoT Hub CA Cert Test Only", opts);
const ca = x.issuer_new(root, rootKey);
const device = identity(ca, DEVICE_ID);

const verification = x.issue_verification(ca, x.key_generate(x.KEY_P256), nonce, opts);
console.log(`verification certificate for nonce ${nonce}: ` +
  x.pop_status_name(x.pop_verify(verification, root, nonce, new x.PopOptions())));

const primary = identity(ca, "enrolled-device"), secondary = identity(ca, "enrolled-device");
const enr = x.enrollment_new(x.ENROLLMENT_INDIVIDUAL, "enrolled-device");
x.enrollment_set_cert(enr, x.ENROLLMENT_PRIMARY, primary.cert);
x.enrollment_set_cert(enr, x.ENROLLMENT_SECONDARY, secondary.cert);
console.log(`enrollment ${x.enrollment_get_name(enr)}: primary ` +
  `${x.cert_get_subject_cn(x.enrollment_get_cert(enr, x.ENROLLMENT_PRIMARY))}, secondary ` +
  `${x.cert_get_subject_cn(x.enrollment_get_cert(enr, x.ENROLLMENT_SECONDARY))}`);

const pool = x.certlist_new();
x.certlist_add(pool, root);
const pfx = x.credential_export_pkcs12(x.credential_new(device.cert, device.key, pool, null), PFX_PASSWORD,
  new x.Pkcs12Options());
console.log(`${DEVICE_ID}.pfx: ${pfx.length} bytes, password ${PFX_PASSWORD}`);

const serverKey = x.key_generate(x.KEY_P256);
const serverOpts = new x.IssueOptions();
const names = x.strlist_new();
x.strlist_add(names, "localhost");
serverOpts.dns_names = names;
const server = x.credential_new(x.issue_server(ca, serverKey, "localhost", serverOpts), serverKey, pool, null);
const rootPem = x.cert_export_pem(root);

// The device presents its .pfx as it gets it: a Buffer and the password.
const seen = await handshake(rootPem, server, { pfx, passphrase: PFX_PASSWORD });
console.log(`server saw peer CN ${seen.cn}`);
if (seen.cn !== DEVICE_ID) {
  console.error("FAIL: handshake:", seen);
  process.exit(1);
}

const otherKey = x.key_generate(x.KEY_P256);
const otherRoot = x.issue_root(otherKey, "Another Root", opts);
const stranger = identity(x.issuer_new(otherRoot, otherKey), "stranger-device");
const refused = await handshake(rootPem, server, {
  cert: Buffer.concat([x.cert_export_pem(stranger.cert), x.cert_export_pem(otherRoot)]),
  key: x.key_export_pem(stranger.key, null),
});
if (refused.cn !== undefined || refused.refused === undefined) {
  console.error("FAIL: a device from another root was accepted:", refused);
  process.exit(1);
}
console.log(`device from another root refused: ${refused.refused}`);
