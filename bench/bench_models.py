"""Model architectures shared by the Python benchmark scripts."""
import torch


def deepsea():
    """DeepSEA (Zhou & Troyanskaya 2015) at full size: 1000 bp in, 919 sigmoid outputs."""
    return torch.nn.Sequential(
        torch.nn.Conv1d(4, 320, 8), torch.nn.ReLU(), torch.nn.MaxPool1d(4), torch.nn.Dropout(0.2),
        torch.nn.Conv1d(320, 480, 8), torch.nn.ReLU(), torch.nn.MaxPool1d(4), torch.nn.Dropout(0.2),
        torch.nn.Conv1d(480, 960, 8), torch.nn.ReLU(), torch.nn.Dropout(0.5),
        torch.nn.Flatten(), torch.nn.Linear(960 * 53, 925), torch.nn.ReLU(),
        torch.nn.Linear(925, 919), torch.nn.Sigmoid())
