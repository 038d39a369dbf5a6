// node bench-binding.mjs DIR NAME KEYTYPE N: the device identity of
// bench-issue.c's capi_one() through the Node binding; prints
// "node WALL_US CPU_US N" (medians per device).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const x = require(process.env.IOTX509_NODE_ADDON || "iotx509");
const [dir, name, keytype, nArg] = process.argv.slice(2);
const n = Number(nArg);
const kt = x.key_type_from_name(keytype);
const ca = x.credential_load(dir, name, null, null);
const issuer = x.issuer_new(x.credential_get_cert(ca), x.credential_get_key(ca));
const chain = x.credential_get_chain(ca);

function one(cn) {
  const k = x.key_generate(kt);
  const cert = x.issue_device(issuer, k, cn, null);
  const cred = x.credential_new(cert, k, chain, null);
  return x.cert_export_pem(cert).length + x.key_export_pem(k, null).length +
    x.certlist_export_pem(x.credential_get_chain(cred)).length;
}

const median = (a) => { const s = [...a].sort((p, q) => p - q); const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
one("warm-up");
const wall = [], cpu = [];
for (let i = 0; i < n; i++) {
  const w = process.hrtime.bigint(), c = process.cpuUsage();
  one(`bench-device-${String(i).padStart(6, "0")}`);
  wall.push(Number(process.hrtime.bigint() - w) / 1000);
  const d = process.cpuUsage(c);
  cpu.push(d.user + d.system);
}
console.log(`node ${median(wall).toFixed(1)} ${median(cpu).toFixed(1)} ${n}`);
