"""Speed baseline: the reference PyTorch DeepSequence (reference.py) on BLAT_ECOLX, same machine
and threads as seqnn. Prints updates/s (training, batch 100, paper configuration) and ELBOs/s
(scoring, one decoder-weight draw per pass over `--score-batch` sequences), and the time of the
sequence weights computed the usual PyTorch way (one-hot matrix products, all N x N).
    /usr/bin/python3 bench/deepsequence/bench_reference.py --threads 2
"""
import argparse
import os
import time

import torch

from reference import AA, Config, OriginalAdam, RefVAE

ALN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data")
ALN = ALN + "/protein/BLAT_ECOLX_hmmerbit_plmc_n5_m30_f50_t0.2_r24-286_id100_b105.a2m"
ALPHABET = "ACDEFGHIKLMNPQRSTVWY"


def read_a2m(path):
    recs = []
    for line in open(path):
        line = line.strip()
        if line.startswith(">"):
            recs.append([line[1:], []])
        else:
            recs[-1][1].append(line)
    seqs = ["".join(s) for _, s in recs]
    focus = seqs[0]
    cols = [i for i, c in enumerate(focus) if c.isupper()]
    index = {c: i for i, c in enumerate(ALPHABET)}
    index["-"] = AA
    out = []
    for s in seqs:
        s = s.replace(".", "-")
        cut = [s[i].upper() for i in cols]
        if all(c in index for c in cut):
            out.append([index[c] for c in cut])
    return torch.tensor(out)


def weights_torch(codes, theta=0.2):
    x = torch.nn.functional.one_hot(codes, AA + 1)[:, :, :AA].reshape(codes.shape[0], -1).float()
    n = x.sum(1)
    sim = (x @ x.T) / n[:, None]
    return 1.0 / (sim > 1 - theta).sum(1).float()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--updates", type=int, default=10)
    ap.add_argument("--score-batch", type=int, default=1024)
    ap.add_argument("--score-draws", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    codes = read_a2m(ALN)
    t = time.time()
    w = weights_torch(codes)
    t_weights = time.time() - t
    print(f"weights: N={codes.shape[0]} L={codes.shape[1]} Neff={w.sum().item():.2f} in {t_weights:.2f} s")
    x_all = torch.nn.functional.one_hot(codes, AA + 1)[:, :, :AA].reshape(codes.shape[0], -1).float()
    cfg = Config()
    L = codes.shape[1]
    m = RefVAE(cfg, L)
    opt = OriginalAdam(m.parameters(), lr=1e-3)
    neff = w.sum().item()

    def update():
        idx = torch.multinomial(w, cfg.batch_size, replacement=True)
        x = x_all[idx]
        eps_z = torch.randn(cfg.batch_size, cfg.latent)
        eps_w = {s[0]: torch.randn(s[1]) for s in m.dec_segs}
        opt.zero_grad()
        loss, *_ = m.loss(x, eps_z, eps_w, neff)
        loss.backward()
        opt.step()
        return loss.item()

    update()  # warm-up (allocations)
    t, c = time.time(), time.process_time()
    for _ in range(args.updates):
        update()
    ups = args.updates / (time.time() - t)
    cpu = (time.process_time() - c) / args.updates
    print(f"train: {ups:.3f} updates/s ({1 / ups:.2f} s per update, {cpu:.2f} CPU s per update), threads {args.threads}")

    with torch.no_grad():
        x = x_all[: args.score_batch]
        t, c = time.time(), time.process_time()
        for _ in range(args.score_draws):
            eps_w = {s[0]: torch.randn(s[1]) for s in m.dec_segs}
            wts = m.sample_weights(eps_w)
            log_px, kl_z = m.elbo_terms(x, torch.randn(x.shape[0], cfg.latent), wts)
        n = args.score_batch * args.score_draws
        eps, cpu = n / (time.time() - t), (time.process_time() - c) / n
    print(f"score: {eps:.0f} ELBOs/s ({cpu * 1e3:.2f} CPU ms per ELBO; batch {args.score_batch}, one weight draw per batch)")


if __name__ == "__main__":
    main()
