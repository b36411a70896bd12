"""Reference solution for exercise 05: exercise 04's Net as an nn.Sequential.

Every step of ``Net.forward`` becomes a module in the list. ReLU and max-pool
commute (both are monotone), so pool-then-ReLU equals ReLU-then-pool.
``nn.Flatten()`` flattens from dimension 1, keeping the batch dimension.
Nothing follows fc2: the loss applies log-softmax to the raw logits itself.
"""

import torch.nn as nn


def build_net() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(1, 64, kernel_size=3, padding=1),   # (N, 64, 28, 28)
        nn.ReLU(),
        nn.MaxPool2d(2),                              # (N, 64, 14, 14)
        nn.Conv2d(64, 64, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),                              # (N, 64, 7, 7)
        nn.Flatten(),                                 # (N, 3136)
        nn.Linear(64 * 7 * 7, 512),
        nn.ReLU(),
        nn.Linear(512, 10),                           # raw logits (N, 10)
    )
