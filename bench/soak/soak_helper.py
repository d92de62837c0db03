#!/usr/bin/env python3
"""Helper of bench/soak/score_variants_soak.sh (standard library only).

  run CSV OUT -- CMD...     runs CMD, samples its /proc/PID/status (VmRSS, VmHWM) every second and
                            counts the rows written so far to OUT (its OUT.partial while it runs)
                            into CSV; prints "rc wall_s ru_maxrss_kib" last; exits with CMD's code
  split VCF K PREFIX        writes PREFIX.0.vcf .. PREFIX.<K-1>.vcf: the header lines in each, the
                            records cut into K consecutive slices of (almost) equal size
  concat OUT FILES...       header line of the first file once, then every file's rows
  compare FULL CONCAT       byte comparison; on a difference, which rows and columns differ and by
                            how much, and where the rows sit relative to the slices and chunks
  metrics CSV OUT           the samples as a metrics.csv for `seqnn plot-metrics` (epoch = second)
  summary CSV N WALL        variants/s, RSS at 10/50/90 %/end of the run, peak, second-half slope
"""
import csv
import os
import subprocess
import sys
import time


def read_status(pid):
    """VmRSS and VmHWM of pid in KiB, or None once the process is gone (or a zombie)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            text = f.read()
    except OSError:
        return None
    vals = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            vals[key] = int(rest.split()[0])
    if "VmRSS" not in vals:
        return None
    return vals["VmRSS"], vals["VmHWM"]


class RowCounter:
    """Counts the lines written so far to OUT.partial (then OUT): reads only what is new."""

    def __init__(self, out):
        self.paths = [out + ".partial", out]
        self.f = None
        self.lines = 0

    def poll(self):
        if self.f is None:
            for p in self.paths:
                try:
                    self.f = open(p, "rb")
                    break
                except OSError:
                    pass
            if self.f is None:
                return 0
        while True:
            data = self.f.read(1 << 20)
            if not data:
                break
            self.lines += data.count(b"\n")
        return max(self.lines - 1, 0)  # the header line is not a variant


def cmd_run(argv):
    csv_path, out = argv[0], argv[1]
    assert argv[2] == "--", "usage: run CSV OUT -- CMD..."
    cmd = argv[3:]
    rows = RowCounter(out)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)
    rusage, status = None, 0
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["t_s", "vmrss_kib", "vmhwm_kib", "rows_written"])
        k = 0  # the next sample is due at t0 + k seconds; the exit is polled every 20 ms
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                rusage = ru
                break
            now = time.monotonic()
            if now >= t0 + k:
                st = read_status(proc.pid)
                if st is not None:
                    w.writerow(["%.3f" % (now - t0), st[0], st[1], rows.poll()])
                    f.flush()
                k = int(now - t0) + 1  # a late sample does not make the next ones early
            time.sleep(max(0.0, min(0.02, t0 + k - time.monotonic())))
    wall = time.monotonic() - t0
    rc = os.waitstatus_to_exitcode(status)
    print("%d %.3f %d" % (rc, wall, rusage.ru_maxrss))
    sys.exit(rc)


def cmd_split(argv):
    vcf, k, prefix = argv[0], int(argv[1]), argv[2]
    with open(vcf) as f:
        lines = f.readlines()
    header = [l for l in lines if l.startswith("#")]
    records = lines[len(header):]
    assert all(not l.startswith("#") for l in records), "header lines after the first record"
    n = len(records)
    for i in range(k):
        with open("%s.%d.vcf" % (prefix, i), "w") as f:
            f.writelines(header)
            f.writelines(records[i * n // k:(i + 1) * n // k])
    print("%d records in %d slices" % (n, k))


def cmd_concat(argv):
    out, files = argv[0], argv[1:]
    header = None
    with open(out, "wb") as o:
        for p in files:
            with open(p, "rb") as f:
                h = f.readline()
                if header is None:
                    header = h
                    o.write(h)
                elif h != header:
                    sys.exit("concat: %s has a different header line" % p)
                while True:
                    data = f.read(1 << 20)
                    if not data:
                        break
                    o.write(data)


def cmd_compare(argv):
    full, cat = argv[0], argv[1]
    slice_rows = [int(x) for x in argv[2].split(",")] if len(argv) > 2 else []
    chunk = int(argv[3]) if len(argv) > 3 else 1024
    with open(full, "rb") as a, open(cat, "rb") as b:
        if a.read() == b.read():
            print("concatenation matches: byte-identical")
            return
    with open(full) as a, open(cat) as b:
        fa, fb = a.read().splitlines(), b.read().splitlines()
    print("concatenation DIFFERS: full %d lines, concatenation %d lines" % (len(fa), len(fb)))
    if fa[:1] != fb[:1]:
        print("  header lines differ:\n  full: %s\n  cat:  %s" % (fa[:1], fb[:1]))
    header = fa[0].split("\t")
    starts = [sum(slice_rows[:i]) for i in range(len(slice_rows))]
    diff_rows, maxabs, shown = 0, {}, 0
    for i in range(1, min(len(fa), len(fb))):
        if fa[i] == fb[i]:
            continue
        diff_rows += 1
        x, y = fa[i].split("\t"), fb[i].split("\t")
        for j, (u, v) in enumerate(zip(x, y)):
            if u == v:
                continue
            try:
                d = abs(float(u) - float(v))
            except ValueError:
                d = float("nan")
            name = header[j] if j < len(header) else str(j)
            maxabs[name] = max(maxabs.get(name, 0.0), d) if d == d else d
        if shown < 10:
            r = i - 1  # 0-based variant index
            where = ""
            if starts:
                s = max(k for k in range(len(starts)) if starts[k] <= r)
                where = " (slice %d row %d; full-run chunk %d row %d)" % (s, r - starts[s], r // chunk, r % chunk)
            print("  variant %d%s\n    full: %s\n    cat:  %s" % (r, where, fa[i], fb[i]))
            shown += 1
    print("  %d rows differ; largest |full - cat| per column: %s" % (diff_rows, maxabs))
    sys.exit(1)


def load(csv_path):
    with open(csv_path) as f:
        r = list(csv.DictReader(f))
    return ([float(x["t_s"]) for x in r], [int(x["vmrss_kib"]) / 1024 for x in r],
            [int(x["vmhwm_kib"]) / 1024 for x in r], [int(x["rows_written"]) for x in r])


def cmd_metrics(argv):
    t, rss, hwm, rows = load(argv[0])
    with open(argv[1], "w") as f:
        f.write("vmrss mib,vmhwm mib,variants written (100k),tv,epoch\n")
        for a, b, c, d in zip(t, rss, hwm, rows):
            f.write("%.2f,%.2f,%.4f,train,%d\n" % (b, c, d / 100000, round(a)))


def at_fraction(t, v, frac):
    """The sample nearest to frac of the sampled span."""
    target = t[0] + frac * (t[-1] - t[0])
    i = min(range(len(t)), key=lambda k: abs(t[k] - target))
    return v[i]


def slope(xs, ys):
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else float("nan")


def cmd_summary(argv):
    t, rss, hwm, rows = load(argv[0])
    n, wall = int(argv[1]), float(argv[2])
    print("variants           %d" % n)
    print("seconds            %.1f (wall, process start to exit)" % wall)
    print("variants/s         %.0f" % (n / wall))
    print("samples            %d (every 1 s)" % len(t))
    print("RSS MiB            10%%: %.1f  50%%: %.1f  90%%: %.1f  end: %.1f (of the run's time)" % (
        at_fraction(t, rss, 0.1), at_fraction(t, rss, 0.5), at_fraction(t, rss, 0.9), rss[-1]))
    print("peak MiB           %.1f (VmHWM, last sample)" % max(hwm))
    half = [i for i in range(len(t)) if t[i] >= t[0] + 0.5 * (t[-1] - t[0])]
    s_rows = slope([rows[i] for i in half], [rss[i] for i in half]) * 100000
    s_time = slope([t[i] for i in half], [rss[i] for i in half])
    print("slope, 2nd half    %+.3f MiB per 100k variants (VmRSS against rows written; %+.4f MiB/s over %d samples)" % (
        s_rows, s_time, len(half)))
    print("RSS range, 2nd half %.1f .. %.1f MiB" % (min(rss[i] for i in half), max(rss[i] for i in half)))


if __name__ == "__main__":
    {"run": cmd_run, "split": cmd_split, "concat": cmd_concat, "compare": cmd_compare, "metrics": cmd_metrics,
     "summary": cmd_summary}[sys.argv[1]](sys.argv[2:])
