// bindings/node/fix-args.js WRAP.cxx: SWIG 4.1's JavaScript module reads
// argument N of a wrapper from args[N] even when parameters before it take no
// JavaScript argument (numinputs=0: our `out` parameters), so every argument
// after an out-parameter is read one slot too far. The typemaps mark such
// parameters with /*iotx509:noinput K*/ (K = its 1-based position); this
// rewrites args[N] to args[N - (marked parameters before N)] in each wrapper.
"use strict";
const fs = require("fs");
const file = process.argv[2];
const parts = fs.readFileSync(file, "utf8").split(/(?=^static SwigV8ReturnValue )/m);
const out = parts.map((fn) => {
  const skipped = [...fn.matchAll(/\/\*iotx509:noinput (\d+)\*\//g)].map((m) => Number(m[1]) - 1);
  if (skipped.length === 0) return fn;
  return fn.replace(/\bargs\[(\d+)\]/g, (_, n) => {
    const i = Number(n);
    return "args[" + (i - skipped.filter((s) => s < i).length) + "]";
  });
});
fs.writeFileSync(file, out.join(""));
