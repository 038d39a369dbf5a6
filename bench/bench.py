#!/usr/bin/env python3
"""Side-by-side benchmark of ways to make a device identity (see doc/performance.md).

Per device identity -- a new key, a certificate under an intermediate CA, and
the full chain, all PEM -- for P-256 and RSA-2048:

  (a) floor        bare GnuTLS calls that make the same certificate (in process)
  (b) capi         the libiotx509 C API (in process); the same through the
                   Python, Java and Node bindings (bench-binding.*) when built
  (c) batch -j1/-j2 `iotx509 batch` with --jobs 1 and --jobs 2, on the disk and
                   on a file system in memory; with the file system alone
                   (the same files written by 1 and 2 threads) beside it
  (d) device       `iotx509 device` run once per device (it also writes a .pfx)
  (e) openssl      genpkey + req + x509 per device
  (f) certtool     --generate-privkey + --generate-certificate per device

plus chain verification (C API against a GnuTLS trust list) and PKCS#12
export at equal iteration counts (C API against `openssl pkcs12 -export`).
Every figure is a median of per-device times measured in this one run;
ratios compare figures of the same run. `crypto` (key generation and one
signature, nothing else) is printed for reference.

  bench.py --builddir DIR [--out DIR] [--n N] [--batch-n N] [--loop N] [--keys p256,rsa2048]
           [--iterations N] [--batch-dir DIR] [--ram-dir DIR] [--plot FILE.png]
  bench.py --builddir DIR --rss 10000,100000 [--out DIR]   (peak RSS of batches)
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(cmd, **kw):
    """Run a command, fail loudly when it fails."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        sys.exit("bench: %s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr.decode(errors="replace")))
    return r.stdout.decode()


def timed(fn):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1e6


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Bench:
    def __init__(self, args):
        self.a = args
        self.iotx509 = self.program(args.builddir, "src", "iotx509")
        self.issue = self.program(args.builddir, "bench", "bench-issue")
        self.work = tempfile.mkdtemp(prefix="iotx509-bench.")
        # Where the batches write: the disk ($TMPDIR, or --batch-dir), and
        # a file system in memory (--ram-dir, /dev/shm by default) that
        # leaves the disk and the kernel's writeback out of the comparison.
        self.batch_dir = tempfile.mkdtemp(prefix="iotx509-bench.", dir=args.batch_dir) if args.batch_dir else self.work
        self.ram_dir = None
        if args.ram_dir and os.path.isdir(args.ram_dir) and os.access(args.ram_dir, os.W_OK):
            self.ram_dir = tempfile.mkdtemp(prefix="iotx509-bench.", dir=args.ram_dir)
        self.rows = []  # (key, name, median_us, note)
        # (key, place): (median, min, max) of --jobs 1 / --jobs 2 per pair, and
        # the same for the file system alone (1 and 2 threads writing sets)
        self.speedup = {}
        self.fs_speedup = {}
        self.capacity = {}
        self.have = {t: shutil.which(t) is not None for t in ("openssl", "certtool")}

    @staticmethod
    def program(builddir, sub, name):
        """The program itself, not libtool's wrapper script in front of it
        (that shell would add its start-up to every process measured)."""
        real = os.path.join(builddir, sub, ".libs", name)
        if os.path.exists(real):
            libs = os.path.join(os.path.abspath(builddir), "lib", ".libs")
            os.environ["LD_LIBRARY_PATH"] = libs + os.pathsep + os.environ.get("LD_LIBRARY_PATH", "")
            return real
        return os.path.join(builddir, sub, name)

    def close(self):
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(self.batch_dir, ignore_errors=True)
        if self.ram_dir:
            shutil.rmtree(self.ram_dir, ignore_errors=True)

    def row(self, key, name, us, note=""):
        self.rows.append((key, name, us, note))
        print("  %-8s %-14s %12.1f us/device  %s" % (key, name, us, note), flush=True)

    def pki(self, key):
        d = os.path.join(self.work, "pki-" + key)
        os.mkdir(d)
        kt = ["--key-type", key]
        run([self.iotx509, "root", "root", "--out-dir", d, "--password", "x"] + kt)
        run([self.iotx509, "intermediate", "int", "root", "--out-dir", d, "--password", "x"] + kt)
        return d

    # ---- (a), (b): in process ----
    def in_process(self, key, d):
        out = run([self.issue, "issue", d, "int", key, str(self.a.n)])
        got = {}
        for line in out.splitlines():
            name, wall, cpu, n = line.split()
            got[name] = (float(wall), float(cpu))
        for name in ("crypto", "floor", "capi"):
            self.row(key, name, got[name][0], "cpu %.1f us" % got[name][1])
        self.bindings(key, d)
        return got

    # ---- the same identity through the Python, Java and Node bindings ----
    def bindings(self, key, d):
        """bench/bench-binding.* for each binding this build made (doc/bindings.md);
        compared with capi of the same run in the report."""
        b, src = os.path.abspath(self.a.builddir), os.path.dirname(os.path.abspath(__file__))
        lib = os.path.join(b, "lib", ".libs")
        env = dict(os.environ, LD_LIBRARY_PATH=lib, PYTHONPATH=os.path.join(b, "bindings", "python") + os.pathsep +
                   os.path.join(b, "bindings", "python", ".libs"),
                   IOTX509_NODE_ADDON=os.path.join(b, "bindings", "node", "iotx509.node"))
        cmds = []
        with open(os.path.join(b, "config.status"), errors="replace") as f:
            if "--enable-sanitizers" in f.read():
                return  # a sanitizer build's library does not load into an interpreter
        if os.path.exists(os.path.join(b, "bindings", "python", "iotx509.py")):
            cmds.append(["/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable,
                         os.path.join(src, "bench-binding.py")])
        if os.path.exists(env["IOTX509_NODE_ADDON"]) and shutil.which("node"):
            cmds.append(["node", os.path.join(src, "bench-binding.mjs")])
        if os.path.exists(os.path.join(b, "bindings", "java", "iotx509.jar")) and shutil.which("java"):
            cmds.append(["java", "-Djava.library.path=" + os.path.join(b, "bindings", "java", ".libs"),
                         "-cp", os.path.join(b, "bindings", "java", "iotx509.jar"), os.path.join(src, "BenchBinding.java")])
        for cmd in cmds:
            name, wall, cpu, _ = run(cmd + [d, "int", key, str(self.a.n)], env=env).split()
            self.row(key, "bind-" + name, float(wall), "cpu %s us" % cpu)

    # ---- (c) iotx509 batch ----
    def batch(self, key, d):
        """--jobs 1 and --jobs 2 in pairs, each run into a new directory;
        nothing is deleted until the end, because ext4 takes longer to
        allocate inodes right after many were freed. The speed-up is the
        median of the pairs' ratios, so a slow spell of a shared machine
        weighs on both sides of a pair. Each pair is followed by the file
        system alone: the same number of device file sets written by one
        and by two threads (bench-issue files), which bounds what two
        workers can gain where writing the files is a large part of the
        work. Done on the disk, then on a file system in memory."""
        n = self.a.batch_n if key == "p256" else max(20, self.a.batch_n // 20)
        places = [("disk", self.batch_dir, "")] + ([("ram", self.ram_dir, "-ram")] if self.ram_dir else [])
        capacity = []
        for place, base, suffix in places:
            per, fper = {1: [], 2: []}, {1: [], 2: []}
            ratios, fratios = [], []
            for rep in range(self.a.reps):
                order = (1, 2) if rep % 2 == 0 else (2, 1)
                for jobs in order:
                    out = os.path.join(base, "batch-%s-%d-%d" % (key, jobs, rep))
                    os.mkdir(out)
                    cmd = [self.iotx509, "batch", "--ca-cert", os.path.join(d, "int_fullchain.pem"), "--ca-key",
                           os.path.join(d, "int_key.pem"), "--pattern", "dev-{1..%d}" % n, "--jobs", str(jobs),
                           "--out-dir", out, "--key-type", key]
                    per[jobs].append(timed(lambda: run(cmd)) / n)
                ratios.append(per[1][-1] / per[2][-1])
                if key == "p256":
                    for threads in order:
                        out = os.path.join(base, "files-%d-%d" % (threads, rep))
                        os.mkdir(out)
                        fper[threads].append(float(run([self.issue, "files", out, str(n), str(threads)]).split()[1]))
                    fratios.append(fper[1][-1] / fper[2][-1])
                if place == "disk":
                    capacity.append(self.calibrate(d))
            for jobs in (1, 2):
                self.row(key, "batch-j%d%s" % (jobs, suffix), statistics.median(per[jobs]),
                         "%d devices x %d runs, %s" % (n, self.a.reps, place))
            self.speedup[(key, place)] = (statistics.median(ratios), min(ratios), max(ratios))
            if fratios:
                for threads in (1, 2):
                    self.row(key, "files-t%d%s" % (threads, suffix), statistics.median(fper[threads]),
                             "3 files per set, %d thread%s, %s" % (threads, "s" if threads > 1 else "", place))
                self.fs_speedup[(key, place)] = (statistics.median(fratios), min(fratios), max(fratios))
        self.capacity[key] = statistics.median(capacity)

    def calibrate(self, d):
        """What two processors give on this machine right now: two
        independent CPU-bound processes at once against one alone (2.0 on
        two idle cores; a shared virtual machine often gives less)."""
        cmd = [self.issue, "issue", d, "int", "p256", "200"]
        one = timed(lambda: run(cmd))
        t = time.perf_counter()
        ps = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL) for _ in range(2)]
        for p in ps:
            p.wait()
        two = time.perf_counter() - t
        return 2 * (one / 1e6) / two

    # ---- (d), (e), (f): a process or three per device ----
    def loop(self, key, name, one):
        out = os.path.join(self.work, "%s-%s" % (name, key))
        os.mkdir(out)
        times = [timed(lambda i=i: one(out, "dev-%d" % i)) for i in range(self.a.loop)]
        shutil.rmtree(out)
        self.row(key, name, statistics.median(times), "%d devices" % self.a.loop)

    def device(self, key, d):
        def one(out, dev):
            run([self.iotx509, "device", dev, "--ca-cert", os.path.join(d, "int_fullchain.pem"), "--ca-key",
                 os.path.join(d, "int_key.pem"), "--out-dir", out, "--key-type", key, "--password", "x"])
        self.loop(key, "device", one)

    def concat(self, out, dev, d):
        with open(os.path.join(out, dev + "_fullchain.pem"), "wb") as f:
            for part in (os.path.join(out, dev + "_cert.pem"), os.path.join(d, "int_fullchain.pem")):
                with open(part, "rb") as p:
                    f.write(p.read())

    def openssl(self, key, d):
        ext = os.path.join(self.work, "ext.cnf")
        with open(ext, "w") as f:
            f.write("[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature%s\n"
                    "extendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
                    % (",keyEncipherment" if key == "rsa2048" else ""))
        gen = (["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"] if key == "p256"
               else ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])

        def one(out, dev):
            k, csr, crt = (os.path.join(out, dev + s) for s in ("_key.pem", ".csr", "_cert.pem"))
            run(["openssl", "genpkey"] + gen + ["-out", k])
            run(["openssl", "req", "-new", "-key", k, "-subj", "/CN=" + dev, "-out", csr])
            run(["openssl", "x509", "-req", "-in", csr, "-CA", os.path.join(d, "int_cert.pem"), "-CAkey",
                 os.path.join(d, "int_key.pem"), "-set_serial", "0x%040x" % random.getrandbits(159), "-days",
                 "365", "-sha256", "-extfile", ext, "-extensions", "v3", "-out", crt])
            self.concat(out, dev, d)
        self.loop(key, "openssl", one)

    def certtool(self, key, d):
        gen = ["--key-type", "ecdsa", "--curve", "secp256r1"] if key == "p256" else ["--key-type", "rsa", "--bits", "2048"]

        def one(out, dev):
            k, crt, tmpl = (os.path.join(out, dev + s) for s in ("_key.pem", "_cert.pem", ".cfg"))
            with open(tmpl, "w") as f:
                f.write('cn = "%s"\nexpiration_days = 365\ntls_www_client\nsigning_key\n%s' %
                        (dev, "encryption_key\n" if key == "rsa2048" else ""))
            run(["certtool", "--generate-privkey"] + gen + ["--outfile", k])
            run(["certtool", "--generate-certificate", "--load-privkey", k, "--load-ca-certificate",
                 os.path.join(d, "int_cert.pem"), "--load-ca-privkey", os.path.join(d, "int_key.pem"),
                 "--template", tmpl, "--outfile", crt])
            self.concat(out, dev, d)
        self.loop(key, "certtool", one)

    # ---- verification and PKCS#12 ----
    def verify(self, d):
        out = run([self.issue, "verify", d, "int", "root", str(self.a.n)])
        for line in out.splitlines():
            name, wall, cpu, n = line.split()
            self.row("verify", name, float(wall), "cpu %s us, %s chains" % (cpu, n))

    def pkcs12(self, d):
        it = str(self.a.iterations)
        run([self.iotx509, "device", "bench-p12", "--ca-cert", os.path.join(d, "int_fullchain.pem"), "--ca-key",
             os.path.join(d, "int_key.pem"), "--out-dir", d, "--password", "x"])
        out = run([self.issue, "pkcs12", d, "int", it, str(max(3, self.a.loop))])
        name, wall, cpu, n = out.split()
        self.row("pkcs12", "capi", float(wall), "%s iterations, cpu %s us" % (it, cpu))
        if self.have["openssl"]:
            key, crt, chain = (os.path.join(d, "bench-p12" + s) for s in ("_key.pem", "_cert.pem", "_fullchain.pem"))
            times = [timed(lambda: run(["openssl", "pkcs12", "-export", "-inkey", key, "-in", crt, "-certfile", chain,
                                        "-passout", "pass:bench-password", "-iter", it, "-macalg", "sha256",
                                        "-keypbe", "AES-256-CBC", "-certpbe", "AES-256-CBC",
                                        "-out", os.path.join(self.work, "o.pfx")]))
                     for _ in range(max(3, self.a.loop))]
            self.row("pkcs12", "openssl", statistics.median(times), "%s iterations, one process each" % it)
            times = [timed(lambda: run(["openssl", "version"])) for _ in range(max(3, self.a.loop))]
            self.row("pkcs12", "openssl-start", statistics.median(times), "`openssl version`: starting the tool")

    def all(self):
        print("# load before: %s" % load(), flush=True)
        for key in self.a.keys.split(","):
            d = self.pki(key)
            self.in_process(key, d)
            self.batch(key, d)
            self.device(key, d)
            if self.have["openssl"]:
                self.openssl(key, d)
            if self.have["certtool"]:
                self.certtool(key, d)
            if key == "p256":
                self.verify(d)
                self.pkcs12(d)
        print("# load after: %s" % load(), flush=True)
        self.report()

    def report(self):
        val = {(k, n): us for k, n, us, _ in self.rows}
        os.makedirs(self.a.out, exist_ok=True)
        tsv = os.path.join(self.a.out, "bench.tsv")
        with open(tsv, "w") as f:
            f.write("key\ttool\tus_per_device\tratio_to_floor\tnote\n")
            for k, n, us, note in self.rows:
                floor = val.get((k, "floor"))
                f.write("%s\t%s\t%.1f\t%s\t%s\n" % (k, n, us, "%.2f" % (us / floor) if floor else "", note))
            for (k, place), (m, lo, hi) in self.speedup.items():
                f.write("%s\tbatch-speedup%s\t%.2f\t\tmedian of paired --jobs 1/--jobs 2 ratios, %.2f..%.2f, %s\n" %
                        (k, "" if place == "disk" else "-" + place, m, lo, hi, place))
            for (k, place), (m, lo, hi) in self.fs_speedup.items():
                f.write("%s\tfiles-speedup%s\t%.2f\t\tmedian of paired 1/2-thread ratios of the file sets alone, "
                        "%.2f..%.2f, %s\n" % (k, "" if place == "disk" else "-" + place, m, lo, hi, place))
            for k, cap in self.capacity.items():
                f.write("%s\tmachine-2cpu\t%.2f\t\ttwo CPU-bound processes at once against one alone\n" % (k, cap))
        print("\nmedian time per device identity, and ratio to (a) the GnuTLS floor:")
        names = [("crypto", "keygen + 1 signature"), ("floor", "(a) bare GnuTLS"), ("capi", "(b) C API"),
                 ("bind-python", "(b) via Python"), ("bind-java", "(b) via Java"), ("bind-node", "(b) via Node"),
                 ("batch-j1", "(c) batch --jobs 1"), ("batch-j2", "(c) batch --jobs 2"),
                 ("device", "(d) iotx509 device"), ("openssl", "(e) openssl loop"), ("certtool", "(f) certtool loop")]
        keys = self.a.keys.split(",")
        print("%-24s" % "" + "".join("%24s" % k for k in keys))
        for n, label in names:
            cells = ""
            for k in keys:
                if (k, n) in val:
                    cells += "%14.3f ms %6.2fx" % (val[(k, n)] / 1000, val[(k, n)] / val[(k, "floor")])
                else:
                    cells += "%24s" % "-"
            print("%-24s%s" % (label, cells))
        for k in keys:
            for lang in ("python", "java", "node"):
                if (k, "bind-" + lang) in val and k == "p256":
                    r = val[(k, "bind-" + lang)] / val[(k, "capi")]
                    print("%s: %s binding / C API = %.2f (target <= 1.5: %s)" % (k, lang, r, "met" if r <= 1.5 else "MISSED"))
        for k in keys:
            if (k, "capi") in val:
                r = val[(k, "capi")] / val[(k, "floor")]
                print("%s: (b)/(a) = %.2f (target <= 1.25: %s)" % (k, r, "met" if r <= 1.25 else "MISSED"))
            for place in ("disk", "ram"):
                if (k, place) not in self.speedup:
                    continue
                m, lo, hi = self.speedup[(k, place)]
                where = "on the disk" if place == "disk" else "on a file system in memory"
                print("%s: batch --jobs 2 is %.2fx --jobs 1 %s (median of %d pairs, %.2f..%.2f; target >= 1.8 on 2 "
                      "cores: %s)" % (k, m, where, self.a.reps, lo, hi, "met" if m >= 1.8 else "MISSED"))
                if (k, place) in self.fs_speedup:
                    fm, flo, fhi = self.fs_speedup[(k, place)]
                    print("%s:   the file sets alone %s: 2 threads write them %.2fx as fast as 1 (%.2f..%.2f), "
                          "%.1f us a set with 1 thread" % (k, where, fm, flo, fhi,
                                                           val[(k, "files-t1" + ("" if place == "disk" else "-ram"))]))
            if k in self.capacity:
                print("%s:   two CPU-bound processes got %.2fx meanwhile" % (k, self.capacity[k]))
        if ("verify", "floor") in val:
            print("verify: C API %.1f us, GnuTLS trust list %.1f us per chain: %.2fx" %
                  (val[("verify", "capi")], val[("verify", "floor")], val[("verify", "capi")] / val[("verify", "floor")]))
        if ("pkcs12", "openssl") in val:
            print("pkcs12 (%d iterations): C API %.1f us, openssl pkcs12 -export %.1f us (%.1f us of it starting "
                  "openssl): %.2fx" % (self.a.iterations, val[("pkcs12", "capi")], val[("pkcs12", "openssl")],
                                       val.get(("pkcs12", "openssl-start"), 0),
                                       val[("pkcs12", "capi")] / val[("pkcs12", "openssl")]))
        print("results: %s" % tsv)
        if self.a.plot:
            self.plot(names, keys, val)

    def plot(self, names, keys, val):
        if shutil.which("gnuplot") is None:
            print("# gnuplot not installed: no plot")
            return
        data = os.path.join(self.a.out, "plot.dat")
        titles = {"p256": "P-256", "rsa2048": "RSA-2048"}
        with open(data, "w") as f:
            f.write("tool " + " ".join(titles.get(k, k) for k in keys) + "\n")
            for n, label in names:
                f.write('"%s" %s\n' % (label, " ".join("%.4f" % (val[(k, n)] / 1000) if (k, n) in val else "NaN"
                                                       for k in keys)))
        script = """set terminal pngcairo size 1000,560 font "sans,10"
set output '%s'
set title "Time per device identity (key + certificate + full chain, PEM); lower is better"
set ylabel "milliseconds per device (log scale)"
set logscale y
set grid ytics
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -25 scale 0
set key top left
plot '%s' using 2:xtic(1) title columnheader(2)%s
""" % (self.a.plot, data, "".join(", '' using %d title columnheader(%d)" % (i + 2, i + 2) for i in range(1, len(keys))))
        subprocess.run(["gnuplot"], input=script.encode(), check=True)
        print("plot: %s" % self.a.plot)

    # ---- peak RSS of big batches ----
    def peak_rss(self, cmd):
        """Peak RSS (KiB) of @cmd. The rusage of a child forked from this
        Python process would count Python's own pages, so GNU time (small)
        runs it when installed; else /proc/PID/status VmHWM is polled."""
        t = time.perf_counter()
        if os.path.exists("/usr/bin/time"):
            rep = os.path.join(self.work, "time.out")
            out = run(["/usr/bin/time", "-f", "%M", "-o", rep] + cmd)
            with open(rep) as f:
                kib = int(f.read().split()[-1])
            return kib, time.perf_counter() - t, out.strip()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        kib = 0
        while p.poll() is None:
            try:
                with open("/proc/%d/status" % p.pid) as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            kib = max(kib, int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.02)
        if p.returncode != 0:
            sys.exit("bench: %s failed: %s" % (" ".join(cmd), p.stderr.read().decode()))
        return kib, time.perf_counter() - t, p.stdout.read().decode().strip()

    def rss(self):
        d = self.pki("p256")
        res = []
        print("# load before: %s" % load(), flush=True)
        for n in [int(x) for x in self.a.rss.split(",")]:
            out = os.path.join(self.work, "rss-%d" % n)
            os.mkdir(out)
            cmd = [self.iotx509, "batch", "--ca-cert", os.path.join(d, "int_fullchain.pem"), "--ca-key",
                   os.path.join(d, "int_key.pem"), "--pattern", "dev-{1..%d}" % n, "--jobs", "2", "--out-dir", out]
            kib, secs, summary = self.peak_rss(cmd)
            res.append((n, kib, secs))
            print("  batch of %7d devices: peak RSS %7d KiB, %.1f s (%s)" % (n, kib, secs, summary), flush=True)
            shutil.rmtree(out)
        print("# load after: %s" % load(), flush=True)
        base = res[0][1]
        for n, kib, secs in res[1:]:
            print("peak RSS of %d devices is %.1f%% of %d devices' (target within 10%%: %s)" %
                  (n, 100.0 * kib / base, res[0][0], "met" if abs(kib - base) <= 0.1 * base else "MISSED"))
        os.makedirs(self.a.out, exist_ok=True)
        with open(os.path.join(self.a.out, "rss.tsv"), "w") as f:
            f.write("devices\tpeak_rss_kib\tseconds\n")
            for n, kib, secs in res:
                f.write("%d\t%d\t%.1f\n" % (n, kib, secs))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--builddir", required=True)
    p.add_argument("--out", default="bench-results")
    p.add_argument("--n", type=int, default=300, help="devices for the in-process figures")
    p.add_argument("--batch-n", type=int, default=3000,
                   help="devices per batch run (P-256; RSA-2048 runs a twentieth of them)")
    p.add_argument("--loop", type=int, default=30, help="devices for the one-process-per-device loops")
    p.add_argument("--batch-dir", help="directory the batches write into (default: a temporary one in $TMPDIR)")
    p.add_argument("--ram-dir", default="/dev/shm",
                   help="a file system in memory for the second set of batch runs ('' to skip; default /dev/shm)")
    p.add_argument("--reps", type=int, default=5, help="pairs of --jobs 1 / --jobs 2 batch runs")
    p.add_argument("--keys", default="p256,rsa2048")
    p.add_argument("--iterations", type=int, default=2048, help="PKCS#12 iterations (both sides)")
    p.add_argument("--plot", help="write a PNG plot (gnuplot)")
    p.add_argument("--rss", help="peak RSS of batches of these sizes, e.g. 10000,100000")
    a = p.parse_args()
    b = Bench(a)
    try:
        if a.rss:
            b.rss()
        else:
            b.all()
    finally:
        b.close()


if __name__ == "__main__":
    main()
