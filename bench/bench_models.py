"""Model architectures shared by the Python benchmark scripts (and the ISM test fixtures)."""
from typing import Tuple

import torch


def deepsea():
    """DeepSEA (Zhou & Troyanskaya 2015) at full size: 1000 bp in, 919 sigmoid outputs."""
    return torch.nn.Sequential(
        torch.nn.Conv1d(4, 320, 8), torch.nn.ReLU(), torch.nn.MaxPool1d(4), torch.nn.Dropout(0.2),
        torch.nn.Conv1d(320, 480, 8), torch.nn.ReLU(), torch.nn.MaxPool1d(4), torch.nn.Dropout(0.2),
        torch.nn.Conv1d(480, 960, 8), torch.nn.ReLU(), torch.nn.Dropout(0.5),
        torch.nn.Flatten(), torch.nn.Linear(960 * 53, 925), torch.nn.ReLU(),
        torch.nn.Linear(925, 919), torch.nn.Sigmoid())


def basset():
    """Basset (Kelley et al. 2016) at full size, 1000 bp in, 164 sigmoid outputs."""
    return torch.nn.Sequential(
        torch.nn.Conv1d(4, 300, 19), torch.nn.BatchNorm1d(300), torch.nn.ReLU(), torch.nn.MaxPool1d(3),
        torch.nn.Conv1d(300, 200, 11), torch.nn.BatchNorm1d(200), torch.nn.ReLU(), torch.nn.MaxPool1d(4),
        torch.nn.Conv1d(200, 200, 7), torch.nn.BatchNorm1d(200), torch.nn.ReLU(), torch.nn.MaxPool1d(4),
        torch.nn.Flatten(),
        torch.nn.Linear(200 * 18, 1000), torch.nn.BatchNorm1d(1000), torch.nn.ReLU(), torch.nn.Dropout(0.3),
        torch.nn.Linear(1000, 1000), torch.nn.BatchNorm1d(1000), torch.nn.ReLU(), torch.nn.Dropout(0.3),
        torch.nn.Linear(1000, 164), torch.nn.Sigmoid())


class BPNet(torch.nn.Module):
    """BPNet (Avsec et al. 2021) as in bpnet-lite: 2114 bp in; a 21-wide conv, 8 residual dilated
    convs (dilation 2..256), a profile head (75-wide conv) cropped to the central 1000 positions
    and a counts head from the mean over the centre."""

    def __init__(self, filters: int = 64, layers: int = 8, out_length: int = 1000):
        super().__init__()
        self.iconv = torch.nn.Conv1d(4, filters, 21, padding=10)
        self.rconvs = torch.nn.ModuleList([torch.nn.Conv1d(filters, filters, 3, padding=2 ** i, dilation=2 ** i)
                                           for i in range(1, layers + 1)])
        self.fconv = torch.nn.Conv1d(filters, 2, 75, padding=37)
        self.linear = torch.nn.Linear(filters, 1)
        self.out_length = out_length

    def forward(self, X) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.heads(X)

    def heads(self, X) -> Tuple[torch.Tensor, torch.Tensor]:
        start = (X.shape[2] - self.out_length) // 2
        end = start + self.out_length
        X = torch.relu(self.iconv(X))
        for rconv in self.rconvs:
            X = X + torch.relu(rconv(X))
        profile = self.fconv(X)[:, :, start:end]
        counts = self.linear(torch.mean(X[:, :, start - 37:end + 37], dim=2))
        return profile, counts


def bpnet():
    return BPNet()
