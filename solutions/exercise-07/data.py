"""Reference solution for exercise 07: an in-memory image pipeline.

The dataset only indexes; the transform does the per-sample work, so the
same dataset serves training (augmented) and evaluation (deterministic).
The loader shuffles with its own generator: its order is reproducible from
the seed alone and never disturbs (or depends on) the global random state.
"""

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2


class ImageTensorDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        image = self.images[index]
        if self.transform is not None:
            image = self.transform(image)
        return image, self.labels[index]


def channel_stats(images):
    scaled = images.float() / 255.0
    dims = [d for d in range(scaled.dim()) if d != 1]  # every dimension but the channel
    return scaled.mean(dim=dims), scaled.std(dim=dims)


def make_transform(mean, std, train):
    steps = [v2.RandomHorizontalFlip(p=0.5)] if train else []
    steps += [
        v2.ToDtype(torch.float32, scale=True),  # uint8 0..255 -> float 0..1
        v2.Normalize(mean=[float(m) for m in mean], std=[float(s) for s in std]),
    ]
    return v2.Compose(steps)


def make_loader(dataset, batch_size, seed):
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=generator)
