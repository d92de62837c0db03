#!/usr/bin/env python3
"""ISM throughput: `seqnn ism` against the naive Python/PyTorch ISM loop on the same TorchScript model.

Models (random weights, scripted; architectures in bench_models.py):
  basset      Basset, 1000 bp, all 3,000 substitutions
  basset100   Basset, 1000 bp, a 100-position window in the middle (300 substitutions)
  deepsea     DeepSEA, 1000 bp, all 3,000 substitutions
  bpnet       BPNet-style, 2114 bp, the 300 central positions (900 substitutions)
The Python loop is the usual notebook ISM: for every position and every non-reference base, copy
the one-hot sequence and set the base, run the mutants in batches of B with model(batch.float())
under inference mode. seqnn runs `seqnn ism --mode raw` (FASTA -> .npy); its time is the one it
reports (model loading excluded, as it is for the Python loop), the median of REPEATS runs
(default 3); wall time includes process start.
Both outputs are compared. Also printed: mutants/s times the model's FLOPs per forward pass (the
rate a full forward pass per mutant would need) and seqnn's peak RSS.
Usage: /usr/bin/python3 bench/bench_ism.py [BUILD_DIR] [THREADS] [BATCH] [CASE ...]
DEVICE=cuda runs both on the GPU (the Python loop synchronised before its clock stops).
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
B = int(sys.argv[3]) if len(sys.argv) > 3 else 64
sys.path.insert(0, os.path.join(ROOT, "bench"))
import bench_models  # noqa: E402

CASES = {  # name: (architecture, length, window start, window end)
    "basset": (bench_models.basset, 1000, 0, 1000),
    "basset100": (bench_models.basset, 1000, 450, 550),
    "deepsea": (bench_models.deepsea, 1000, 0, 1000),
    "bpnet": (bench_models.bpnet, 2114, 907, 1207),
}
WANTED = sys.argv[4:] or list(CASES)
REPEATS = int(os.environ.get("REPEATS", "3"))
DEVICE = os.environ.get("DEVICE", "cpu")
TIME = "/usr/bin/time"  # seqnn's own peak RSS; absent on some machines (then not reported)


def forward_flops(model, length):
    """Multiply-adds x 2 of one forward pass (convolutions and linear layers)."""
    total = [0]

    def hook(module, inputs, output):
        if isinstance(module, torch.nn.Conv1d):
            total[0] += 2 * output.numel() * module.in_channels // module.groups * module.kernel_size[0]
        elif isinstance(module, torch.nn.Linear):
            total[0] += 2 * module.in_features * module.out_features

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    with torch.no_grad():
        model(torch.zeros(1, 4, length))
    for h in handles:
        h.remove()
    return total[0]


def python_ism(model, x, start, end):
    """Per output: (L_w, 4, ...) predictions; the reference base's slot holds the reference."""
    mutants, slots = [], []
    for pos in range(start, end):
        for base in range(4):
            if x[base, pos] == 1:
                continue
            m = x.clone()
            m[:, pos] = 0
            m[base, pos] = 1
            mutants.append(m)
            slots.append((pos - start, base))
    ref = model(x[None].float())
    ref = ref if isinstance(ref, tuple) else (ref,)
    outs = [r[0].expand((end - start, 4) + r.shape[1:]).clone() for r in ref]
    for i in range(0, len(mutants), B):
        y = model(torch.stack(mutants[i:i + B]).float())
        y = y if isinstance(y, tuple) else (y,)
        for j, (pos, base) in enumerate(slots[i:i + B]):
            for o, t in zip(outs, y):
                o[pos, base] = t[j]
    return outs, len(mutants)


def run_case(name, tmp):
    make, length, start, end = CASES[name]
    torch.manual_seed(0)
    net = make().eval()
    flops = forward_flops(net, length)
    model_path = os.path.join(tmp, name + ".pt")
    torch.jit.save(torch.jit.script(net), model_path)
    model = torch.jit.load(model_path, map_location=DEVICE)
    rng = np.random.RandomState(3)
    idx = rng.randint(0, 4, size=length)
    x = torch.from_numpy((idx[None, :] == np.arange(4)[:, None]).astype(np.int8)).to(DEVICE)
    with torch.inference_mode():
        model(x[None].float())  # warm-up
        t0 = time.perf_counter()
        want, n_mut = python_ism(model, x, start, end)
        if DEVICE.startswith("cuda"):
            torch.cuda.synchronize()
        torch_secs = time.perf_counter() - t0
    fasta = os.path.join(tmp, name + ".fa")
    with open(fasta, "w") as f:
        f.write(">s0\n%s\n" % "".join(np.array(list("ACGT"))[idx]))
    out = os.path.join(tmp, name + ".npy")
    runs = []  # seqnn is run REPEATS times (the median counts); the Python loop, far longer, once
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        # /usr/bin/time reports seqnn's own peak RSS: a child started straight from this process
        # would count this process's memory (the pre-exec image) in its ru_maxrss.
        timed = [TIME, "-f", "peak_kib %M"] if os.path.exists(TIME) else []
        proc = subprocess.run(timed + [os.path.join(BUILD, "seqnn"), "ism", "-m", model_path, "-f", fasta, "--mode", "raw",
                               "-o", out, "--start", str(start), "--end", str(end), "--batch-size", str(B),
                               "--threads", str(THREADS), "--device", DEVICE, "-q"],
                              check=True, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        lines = proc.stderr.strip().splitlines()
        if timed:
            summary = lines[-2] + " peak RSS %.0f MiB" % (int(lines[-1].split()[1]) / 1024.0)
        else:
            summary = lines[-1] + " peak RSS nan MiB"
        runs.append((float(re.search(r" in ([0-9.]+) s", summary).group(1)), wall, summary))
    seqnn_secs, wall, summary = sorted(runs)[len(runs) // 2]
    rss = float(re.findall(r"peak RSS ([0-9.]+|nan) MiB", summary)[-1])
    engine = re.search(r"\((\w+) engine\)", summary).group(1)
    outputs = ["mutants"] if len(want) == 1 else ["%d.mutants" % i for i in range(len(want))]
    worst = 0.0
    for w, o in zip(want, outputs):
        got = np.load(os.path.join(tmp, "%s.%s.npy" % (name, o)))[0]
        w = w.cpu().numpy()
        worst = max(worst, float(np.abs(got - w).max() / max(1e-12, np.abs(w).max())))
    return {"name": name, "mutants": n_mut, "torch": torch_secs, "seqnn": seqnn_secs, "wall": wall, "rss": rss,
            "engine": engine, "rel": worst, "gflops": flops / 1e9}


def main():
    torch.set_num_threads(THREADS)
    tmp = tempfile.mkdtemp(prefix="seqnn_bench_ism_")
    print("seqnn ism vs the Python ISM loop; batch %d, threads %d, torch %s, device %s" % (B, THREADS, torch.__version__, DEVICE))
    print("%-10s %8s %9s %9s %9s %8s %11s %11s %9s %11s %s" % (
        "case", "mutants", "python s", "seqnn s", "wall s", "ratio", "py GFLOP/s", "eff GFLOP/s", "RSS MiB",
        "max rel err", "engine"))
    for name in WANTED:
        r = run_case(name, tmp)
        print("%-10s %8d %9.2f %9.2f %9.2f %7.2fx %11.1f %11.1f %9.0f %11.2g %s" % (
            r["name"], r["mutants"], r["torch"], r["seqnn"], r["wall"], r["torch"] / r["seqnn"],
            r["mutants"] * r["gflops"] / r["torch"], r["mutants"] * r["gflops"] / r["seqnn"], r["rss"], r["rel"],
            r["engine"]))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
