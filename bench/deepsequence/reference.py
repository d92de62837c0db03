"""Reference PyTorch implementation of the DeepSequence VAE (Riesselman et al. 2018), written
independently of seqnn's C++ code for two uses:
  * tests/fixtures/deepsequence/: small fixtures (ELBO terms, weight KL, one Adam update of
    each variant) that the C++ suite compares against (make_fixtures.py);
  * bench/deepsequence/bench_reference.py: the speed baseline on the same machine and threads.
It is the straightforward way to write the model in PyTorch: one nn.Parameter per mean and per
log sigma, autograd for every gradient (the weight KL included), torch.optim.Adam for standard
Adam and a hand-written copy of the Theano code's Adam whose step counter stays at 1."""
import math

import torch
import torch.nn.functional as F

AA = 20


class Config:
    def __init__(self, **kw):
        self.encoder = [1500, 1500]
        self.latent = 30
        self.decoder = [100, 2000]
        self.sparsity = True
        self.tiles = 4
        self.logit_p = 0.001
        self.sparsity_sigma = 4.0
        self.dictionary = 40
        self.temperature = True
        self.log_sigma_init = -5.0
        self.batch_size = 100
        for k, v in kw.items():
            setattr(self, k, v)

    def sparsity_mean(self):
        return math.sqrt(2.0) * self.sparsity_sigma * torch.erfinv(torch.tensor(2 * self.logit_p - 1, dtype=torch.float64)).item()


def segments(cfg, L):
    """(encoder, decoder) lists of (name, shape, prior_mean, prior_sigma), in seqnn's order."""
    enc, dec = [], []
    n_in = L * AA
    for k, w in enumerate(cfg.encoder):
        enc += [(f"enc{k}.w", (n_in, w)), (f"enc{k}.b", (w,))]
        n_in = w
    for head in ("z_mu", "z_ls"):
        enc += [(f"{head}.w", (n_in, cfg.latent)), (f"{head}.b", (cfg.latent,))]
    n_in = cfg.latent
    for k, w in enumerate(cfg.decoder):
        dec += [(f"dec{k}.w", (n_in, w), 0.0, 1.0), (f"dec{k}.b", (w,), 0.0, 1.0)]
        n_in = w
    C = cfg.dictionary if cfg.dictionary > 0 else AA
    dec += [("out.w", (n_in, L * C), 0.0, 1.0), ("out.b", (L * AA,), 0.0, 1.0)]
    if cfg.dictionary > 0:
        dec.append(("dict", (cfg.dictionary, AA), 0.0, 1.0))
    if cfg.sparsity:
        dec.append(("scale", (n_in // cfg.tiles, L), cfg.sparsity_mean(), cfg.sparsity_sigma))
    if cfg.temperature:
        dec.append(("temp", (1,), 0.0, 1.0))
    return enc, dec


class RefVAE(torch.nn.Module):
    def __init__(self, cfg, L):
        super().__init__()
        self.cfg, self.L = cfg, L
        self.enc_segs, self.dec_segs = segments(cfg, L)
        self.enc = torch.nn.ParameterDict()
        self.mu = torch.nn.ParameterDict()
        self.ls = torch.nn.ParameterDict()
        for name, shape in self.enc_segs:
            self.enc[name.replace(".", "_")] = torch.nn.Parameter(torch.randn(shape) * 0.05)
        for name, shape, _, _ in self.dec_segs:
            self.mu[name.replace(".", "_")] = torch.nn.Parameter(torch.randn(shape) * 0.05)
            self.ls[name.replace(".", "_")] = torch.nn.Parameter(torch.full(shape, cfg.log_sigma_init))

    def sample_weights(self, eps):
        """eps: dict name -> noise (same shape); returns dict of sampled weights."""
        return {n: self.mu[k] + torch.exp(self.ls[k]) * eps[n]
                for n, k in ((n, n.replace(".", "_")) for n, *_ in self.dec_segs)}

    def elbo_terms(self, x, eps_z, w):
        cfg, L = self.cfg, self.L
        e = {n: self.enc[n.replace(".", "_")] for n, _ in self.enc_segs}
        h = x
        for k in range(len(cfg.encoder)):
            h = F.relu(h @ e[f"enc{k}.w"] + e[f"enc{k}.b"])
        mu = h @ e["z_mu.w"] + e["z_mu.b"]
        ls = h @ e["z_ls.w"] + e["z_ls.b"]
        z = mu + torch.exp(ls) * eps_z
        kl_z = 0.5 * torch.sum(torch.exp(2 * ls) + mu ** 2 - 1 - 2 * ls, dim=1)
        d = z
        nd = len(cfg.decoder)
        for k in range(nd):
            d = d @ w[f"dec{k}.w"] + w[f"dec{k}.b"]
            d = torch.sigmoid(d) if k == nd - 1 else F.relu(d)
        H = cfg.decoder[-1]
        W = w["out.w"]
        if cfg.dictionary > 0:
            W = (W.reshape(H * L, cfg.dictionary) @ w["dict"]).reshape(H, L, AA)
        else:
            W = W.reshape(H, L, AA)
        if cfg.sparsity:
            S = torch.sigmoid(torch.tile(w["scale"], (cfg.tiles, 1)))  # row h = scale[h mod H/tiles]
            W = W * S[:, :, None]
        logits = d @ W.reshape(H, L * AA) + w["out.b"]
        if cfg.temperature:
            logits = logits * F.softplus(w["temp"])
        logp = F.log_softmax(logits.reshape(-1, L, AA), dim=2)
        log_px = (logp * x.reshape(-1, L, AA)).sum(dim=(1, 2))
        return log_px, kl_z

    def kl_decoder(self):
        total = 0.0
        for name, _, pm, ps in self.dec_segs:
            k = name.replace(".", "_")
            mu, ls = self.mu[k], self.ls[k]
            total = total + torch.sum(math.log(ps) - ls + (torch.exp(2 * ls) + (mu - pm) ** 2) / (2 * ps * ps) - 0.5)
        return total

    def loss(self, x, eps_z, eps_w, neff):
        log_px, kl_z = self.elbo_terms(x, eps_z, self.sample_weights(eps_w))
        kl_w = self.kl_decoder()
        return -(log_px - kl_z).mean() + kl_w / neff, log_px, kl_z, kl_w


class OriginalAdam(torch.optim.Optimizer):
    """The Theano code's Adam: t stays 1, so lr_t = lr * sqrt(1 - b2) / (1 - b1) for ever."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            b1, b2 = g["betas"]
            lr_t = g["lr"] * math.sqrt(1 - b2) / (1 - b1)
            for p in g["params"]:
                st = self.state[p]
                if not st:
                    st["m"] = torch.zeros_like(p)
                    st["v"] = torch.zeros_like(p)
                m, v = st["m"], st["v"]
                m.mul_(b1).add_(p.grad, alpha=1 - b1)
                v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                p.addcdiv_(m, v.sqrt().add_(g["eps"]), value=-lr_t)
