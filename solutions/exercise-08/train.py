"""Reference solution for exercise 08: a training loop and an evaluation loop.

Per batch the order is fixed: clear the old gradients, compute the loss,
back-propagate, then let the optimizer step. ``model.train()`` and
``model.eval()`` switch dropout and batch-norm between their two behaviours,
and ``torch.no_grad()`` stops evaluation from recording a graph it never uses.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class DigitNet(nn.Module):
    """Exercise 04's layout (two 3x3 conv + pool stages, two linear layers).

    Narrower, so it trains in seconds on a CPU; batch-norm steadies training.
    """

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.norm1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.norm2 = nn.BatchNorm2d(32)
        self.fc1 = nn.Linear(32 * 7 * 7, 128)
        self.dropout = nn.Dropout(0.25)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.norm1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.norm2(self.conv2(x))), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.dropout(x))


def build_model():
    """The model the grader trains on handwritten digits: (N, 1, 28, 28) -> (N, 10) logits."""
    return DigitNet()


def train(model, loader, epochs, optimizer, device="cpu"):
    """Train ``model`` for ``epochs`` passes over ``loader``; return each epoch's mean batch loss."""
    model.to(device)
    history = []
    for _ in range(epochs):
        model.train()  # evaluate() may have left it in eval mode
        total, batches = 0.0, 0
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
            total += loss.item()
            batches += 1
        history.append(total / max(batches, 1))
    return history


def evaluate(model, images, batch_size=256, device="cpu"):
    """Logits for every image, in order, computed in eval mode without building a graph."""
    model.to(device)
    model.eval()
    outputs = []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            outputs.append(model(images[start:start + batch_size].to(device)).cpu())
    return torch.cat(outputs)
