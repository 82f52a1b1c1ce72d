"""A small PyTorch training script, unmodified: runs with torch, or on ember with

    ember run examples/torch_regression.py --epochs 5

It makes both frameworks see the same numbers: the data come from a formula
and the initial weights are set by a formula (random generators differ
between torch and ember), and the loader does not shuffle.
"""
import argparse

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def make_data(n=256):
    """Features from sines and cosines, targets from y = 2 x0 - 3.4 x1 + 4.2 + small wiggle."""
    i = torch.arange(n, dtype=torch.float32)
    X = torch.stack([torch.sin(0.1 * i), torch.cos(0.37 * i)], dim=1)
    true_w = torch.tensor([[2.0], [-3.4]])
    y = X @ true_w + 4.2 + 0.01 * torch.sin(7.0 * i).unsqueeze(1)
    return X, y


class TinyNet(nn.Module):
    def __init__(self, hidden=4):
        super().__init__()
        self.hidden = nn.Linear(2, hidden)
        self.out = nn.Linear(hidden, 1)
        self.skip = nn.Linear(2, 1, bias=False)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x))) + self.skip(x)


def init_by_formula(model):
    """Deterministic weights: 0.3 cos(k + j) for the j-th entry of the k-th parameter."""
    with torch.no_grad():
        for k, p in enumerate(model.parameters()):
            values = 0.3 * torch.cos(torch.arange(p.numel(), dtype=torch.float32) + k)
            p.copy_(values.reshape(p.shape))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=0.05)
    args = parser.parse_args()

    torch.manual_seed(0)   # nothing below draws random numbers; kept as real scripts have it
    device = "cuda" if torch.cuda.is_available() else "cpu"
    X, y = make_data()
    loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=False)
    model = TinyNet().to(device)
    init_by_formula(model)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)

    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        print(f"epoch {epoch + 1} loss {total / len(loader.dataset):.8f}")

    model.eval()
    with torch.no_grad():
        final = F.mse_loss(model(X), y).item()
    print(f"final loss {final:.8f}")
    print("skip weight", [round(v, 6) for v in model.skip.weight.flatten().tolist()])


if __name__ == "__main__":
    main()
