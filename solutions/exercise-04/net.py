"""Reference solution for exercise 04: the article's Net, fixed.

3x3 kernels with padding 1 keep the spatial size; each 2x2 max-pool halves it:
28 -> 28 -> 14 (conv1, pool) -> 14 -> 7 (conv2, pool), so 64*7*7 features reach
fc1. ``flatten(1)`` keeps the batch dimension whatever the batch size.
"""

import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 512)
        self.fc2 = nn.Linear(512, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2(x), 2))
        x = x.flatten(1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)
