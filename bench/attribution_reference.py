"""DeepLIFT/SHAP and integrated gradients written in PyTorch with module hooks, the way captum and
tangermeme do it, as the reference for seqnn's attributions (tests/fixtures/make_attribution_fixtures.py,
bench/bench_attribution.py).

deeplift_shap(model, X, R, target): X (N, A, L), R (N, K, A, L) references. Inputs and references
run as one batch [x; r]; forward hooks keep each non-linear module's input and output, backward
hooks replace its gradient:
  * ReLU, Sigmoid, Tanh, ELU, Softplus, GELU: the rescale rule, multiplier dy / dx (the ordinary
    gradient where |dx| < eps);
  * MaxPool1d: DeepSHAP's maxpool rule (shap's deep_pytorch): with c = max(max x, max r) per window,
    g (c - max r) goes to the position of max x and g (max x - c) to that of max r, each divided by
    the position's dx.
Only the input half of the output is differentiated. Returns (N, A, L): mean over references of
multipliers * (x - r).
"""
import torch
from torch import nn

RESCALE = (nn.ReLU, nn.Sigmoid, nn.Tanh, nn.ELU, nn.Softplus, nn.GELU)


def _save_io(module, inputs, output):
    module._dl_in = inputs[0].detach()
    module._dl_out = output.detach()


def _rescale_hook(module, grad_input, grad_output):
    x, y = module._dl_in, module._dl_out
    M = x.shape[0] // 2
    dx = x[:M] - x[M:]
    dy = y[:M] - y[M:]
    g = grad_output[0][:M]
    eps = 1e-10 if x.dtype == torch.float64 else 1e-6
    small = dx.abs() < eps
    m = torch.where(small, grad_input[0][:M], g * dy / torch.where(small, torch.ones_like(dx), dx))
    return (torch.cat([m, torch.zeros_like(m)]),)


def _maxpool_hook(module, grad_input, grad_output):
    x, y = module._dl_in, module._dl_out
    M = x.shape[0] // 2
    xin, rin, yx, yr = x[:M], x[M:], y[:M], y[M:]
    g = grad_output[0][:M]
    c = torch.maximum(yx, yr)
    args = dict(kernel_size=module.kernel_size, stride=module.stride, padding=module.padding,
                dilation=module.dilation, ceil_mode=module.ceil_mode, return_indices=True)
    _, ix = nn.functional.max_pool1d(xin, **args)
    _, ir = nn.functional.max_pool1d(rin, **args)
    arrived = torch.zeros_like(xin).scatter_add_(2, ix, g * (c - yr))
    arrived = arrived.scatter_add_(2, ir, g * (yx - c))
    dx = xin - rin
    eps = 1e-10 if x.dtype == torch.float64 else 1e-6
    small = dx.abs() < eps
    m = torch.where(small, torch.zeros_like(dx), arrived / torch.where(small, torch.ones_like(dx), dx))
    return (torch.cat([m, torch.zeros_like(m)]),)


class _Hooks:
    def __init__(self, model):
        self.handles = []
        for module in model.modules():
            if isinstance(module, RESCALE):
                self.handles.append(module.register_forward_hook(_save_io))
                self.handles.append(module.register_full_backward_hook(_rescale_hook))
            elif isinstance(module, nn.MaxPool1d):
                self.handles.append(module.register_forward_hook(_save_io))
                self.handles.append(module.register_full_backward_hook(_maxpool_hook))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for h in self.handles:
            h.remove()


def _scalar(out, target):
    return out[:, target] if target is not None else out.reshape(out.shape[0], -1).sum(1)


def deeplift_shap(model, X, R, target=0, batch_size=64):
    """Mean over the K references of DeepLIFT multipliers * (x - r); returns (attr, fx, mean fr)."""
    N, K = R.shape[0], R.shape[1]
    xs = X.unsqueeze(1).expand(-1, K, -1, -1).reshape(N * K, *X.shape[1:])
    rs = R.reshape(N * K, *R.shape[2:])
    attr = torch.zeros_like(xs)
    f = torch.zeros(2, N * K, dtype=X.dtype)
    with _Hooks(model):
        for s in range(0, N * K, batch_size):
            x, r = xs[s:s + batch_size], rs[s:s + batch_size]
            M = x.shape[0]
            z = torch.cat([x, r]).requires_grad_(True)
            y = _scalar(model(z), target)
            (g,) = torch.autograd.grad(y[:M].sum(), z)
            attr[s:s + M] = g[:M] * (x - r)
            f[0, s:s + M], f[1, s:s + M] = y[:M].detach(), y[M:].detach()
    return (attr.reshape(N, K, *X.shape[1:]).mean(1), f[0].reshape(N, K).mean(1), f[1].reshape(N, K).mean(1))


def integrated_gradients(model, X, R, steps=50, target=0, batch_size=64):
    """(x - r) * mean gradient at r + a (x - r), a = (k + 1/2) / steps, averaged over references."""
    N, K = R.shape[0], R.shape[1]
    attr = torch.zeros_like(X)
    alphas = (torch.arange(steps, dtype=X.dtype) + 0.5) / steps
    for i in range(N):
        for k in range(K):
            x, r = X[i], R[i, k]
            path = r.unsqueeze(0) + alphas.view(-1, 1, 1) * (x - r).unsqueeze(0)
            grads = torch.zeros_like(x)
            for s in range(0, steps, batch_size):
                p = path[s:s + batch_size].clone().requires_grad_(True)
                (g,) = torch.autograd.grad(_scalar(model(p), target).sum(), p)
                grads += g.sum(0)
            attr[i] += (x - r) * grads / steps / K
    return attr
