"""Exercise 05 — the same network, as an nn.Sequential.

The article builds its network by handing four layers to ``nn.Sequential``:
two convolutions and two linear layers, one straight after the other. But
``nn.Sequential`` runs exactly the modules you list, in order, and nothing
else: every ReLU, every max-pool and the flattening step that a class-based
``forward`` performs has to be a module in the list too. Without them the
first linear layer receives a 4-D feature map and the call fails.

Goal: ``build_net()`` returns an ``nn.Sequential`` that computes exactly what
exercise 04's ``Net`` computes, for inputs of shape (N, 1, 28, 28) and any N:
given the same weights, the two give the same logits (N, 10). The layers
below already have the right sizes; keep them in this order, and return raw
logits (no activation after the last layer).

Check your work with:  grader check exercise-05
"""

import torch.nn as nn


def build_net() -> nn.Sequential:
    conv1 = nn.Conv2d(1, 64, kernel_size=3, padding=1)
    conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1)
    fc1 = nn.Linear(64 * 7 * 7, 512)
    fc2 = nn.Linear(512, 10)
    # TODO: add the modules that Net.forward applies between these layers:
    #       an activation and a 2x2 max-pool after each convolution, a flatten
    #       that keeps the batch dimension, and an activation between fc1 and fc2.
    return nn.Sequential(conv1, conv2, fc1, fc2)
