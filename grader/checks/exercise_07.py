"""Hidden checks for exercise 07, "a data pipeline".

Every data set is drawn here from the check's generator: uint8 images whose
channels have different brightness and spread, and labels that are a random
permutation, so that each sample can be recognised by its label after a
shuffle. The sandbox builds the learner's Dataset, DataLoader and transforms
and sends back the tensors they produce; the verdicts are reached here.
"""

import math

import pytest
import torch

from grader.checks.toolkit import draw_int, on_device
from grader.expect import expect_close, expect_dtype, expect_shape, expect_tensor, fail
from grader.i18n import t

LOADER_HINT = t("DataLoader(dataset, batch_size=batch_size, shuffle=True, "
                "generator=torch.Generator().manual_seed(seed)), keeping drop_last=False")
TRANSFORM_HINT = "v2.Compose([v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean, std)])"


# -- probes: run inside the sandbox -------------------------------------------------
def dataset_items(learner, images, labels, indices):
    def stand_in(image):  # any callable will do: the Dataset must apply what it is given
        return image.flip(-1).float() + 0.5

    raw = learner.data.ImageTensorDataset(images, labels)
    transformed = learner.data.ImageTensorDataset(images, labels, transform=stand_in)
    result = {"len": len(raw), "raw": [], "transformed": []}
    for ds, key in ((raw, "raw"), (transformed, "transformed")):
        for i in indices:
            image, label = ds[i]
            result[key].append((image if isinstance(image, torch.Tensor) else repr(image)[:60], int(label)))
    return result


def loader_epochs(learner, images, labels, batch_size, seeds, global_seeds, epochs):
    runs = []
    for seed, global_seed in zip(seeds, global_seeds):
        torch.manual_seed(global_seed)
        before = torch.get_rng_state()
        loader = learner.data.make_loader(learner.data.ImageTensorDataset(images, labels), batch_size, seed)
        run = {"len": len(loader), "epochs": []}
        for _ in range(epochs):
            run["epochs"].append([list(batch) if isinstance(batch, (list, tuple)) else [batch]
                                  for batch in loader])
        run["global_rng_untouched"] = torch.equal(before, torch.get_rng_state())
        runs.append(run)
    return runs


def stats(learner, images):
    mean, std = learner.data.channel_stats(images)
    return {"mean": mean, "std": std}


def transform_outputs(learner, images, mean, std, train, device, seed, repeats):
    torch.manual_seed(seed)
    t = learner.data.make_transform(mean, std, train=train)
    outputs = [[t(image.to(device)) for image in images] for _ in range(repeats)]
    return {"outputs": outputs, "devices": sorted({str(getattr(out, "device", "")) for row in outputs for out in row})}


def augmented_items(learner, images, labels, indices, mean, std, seed, repeats):
    torch.manual_seed(seed)
    t = learner.data.make_transform(mean, std, train=True)
    ds = learner.data.ImageTensorDataset(images, labels, transform=t)
    items = [[ds[i] for i in indices] for _ in range(repeats)]
    return {"kind": f"{type(t).__module__}.{type(t).__qualname__}",
            "items": [[(img, int(label)) for img, label in row] for row in items]}


# -- helpers (trusted side) ---------------------------------------------------------
def make_data(rng, n_low=37, n_high=81):
    """uint8 images (N, 3, H, W), each channel with its own mean and spread; labels a permutation."""
    n = draw_int(rng, n_low, n_high - 1)
    size = draw_int(rng, 6, 12)
    centre = 40 + 170 * torch.rand(3, 1, 1, generator=rng)
    spread = 10 + 50 * torch.rand(3, 1, 1, generator=rng)
    images = (torch.randn(n, 3, size, size, generator=rng) * spread + centre).round().clamp(0, 255)
    return images.to(torch.uint8), torch.randperm(n, generator=rng)


def true_stats(images):
    scaled = images.double() / 255
    return scaled.mean(dim=(0, 2, 3)), scaled.std(dim=(0, 2, 3))


def normalized(image, mean, std):
    return ((image.double() / 255 - mean.view(-1, 1, 1)) / std.view(-1, 1, 1)).float()


def labels_of(epoch, what) -> torch.Tensor:
    parts = []
    for b, batch in enumerate(epoch):
        if len(batch) != 2:
            fail(t("batch {b} of {what} has {count} parts; expected (images, labels)", b=b, what=what,
                   count=len(batch)), LOADER_HINT)
        parts.append(expect_tensor(batch[1], t("the labels of batch {b} of {what}", b=b,
                                               what=what), LOADER_HINT).reshape(-1))
    return torch.cat(parts) if parts else torch.empty(0, dtype=torch.int64)


# -- checks -------------------------------------------------------------------------
@pytest.mark.points(1)
def test_length_and_items(learner, rng):
    images, labels = make_data(rng)
    n = len(images)
    indices = [0, n - 1] + torch.randint(1, n - 1, (3,), generator=rng).tolist()
    result = learner.run(dataset_items, images, labels, indices)
    if result["len"] != n:
        fail(t("len(ImageTensorDataset(images, labels)) is {len} for {n} images", len=result['len'], n=n),
             t("__len__ returns the number of samples, len(self.images)"))
    for i, (image, label) in zip(indices, result["raw"]):
        what = t("the image of ds[{i}] without a transform", i=i)
        expect_dtype(expect_shape(image, images[i].shape, what), torch.uint8, what, t("return images[i] untouched"))
        if not torch.equal(image, images[i]):
            fail(t("{what} is not images[{i}]",
                   what=what, i=i), t("index the stored images with the same index as the labels"))
        if label != int(labels[i]):
            fail(t("the label of ds[{i}] is {label}, expected labels[{i}] = {expected}", i=i, label=label,
                   expected=int(labels[i])))
    for i, (image, label) in zip(indices, result["transformed"]):
        what = t("the image of ds[{i}] with transform=t", i=i)
        expected = images[i].flip(-1).float() + 0.5
        expect_shape(image, expected.shape, what, t("return transform(images[i]) when a transform was given"))
        if not torch.equal(image, expected):
            fail(t("{what} is not t(images[{i}])",
                   what=what, i=i), t("return self.transform(image) when a transform was given"))
        if label != int(labels[i]):
            fail(t("with a transform, the label of ds[{i}] is {label}, expected {expected}", i=i, label=label,
                   expected=int(labels[i])),
                 t("apply the transform to the image only"))


@pytest.mark.points(1)
def test_batches_have_the_right_shapes(learner, rng):
    images, labels = make_data(rng)
    n = len(images)
    batch_size = draw_int(rng, 5, 16)
    while n % batch_size == 0:
        batch_size += 1
    run = learner.run(loader_epochs, images, labels, batch_size, [1], [0], 1)[0]
    expected_batches = math.ceil(n / batch_size)
    if run["len"] != expected_batches:
        fail(t("len(make_loader(ds, {batch_size}, seed)) is {len} for {n} samples; expected {expected_batches} (the "
               "last batch keeps the {left} left over)", batch_size=batch_size, len=run['len'], n=n,
               expected_batches=expected_batches, left=n % batch_size), LOADER_HINT)
    epoch = run["epochs"][0]
    if len(epoch) != expected_batches:
        fail(t("an epoch yielded {count} batches; expected {expected_batches}", count=len(epoch),
               expected_batches=expected_batches), LOADER_HINT)
    for b, batch in enumerate(epoch):
        size = batch_size if b < expected_batches - 1 else n % batch_size
        if len(batch) != 2:
            fail(t("batch {b} has {count} parts; expected (images, labels)", b=b, count=len(batch)), LOADER_HINT)
        what = t("the images of batch {b} (batch_size={batch_size}, {n} samples)", b=b, batch_size=batch_size, n=n)
        expect_shape(batch[0], (size, *images.shape[1:]), what, LOADER_HINT)
        what = t("the labels of batch {b}", b=b)
        expect_dtype(expect_shape(batch[1], (size,), what, LOADER_HINT), torch.int64, what)


@pytest.mark.points(2)
def test_every_sample_once_per_epoch(learner, rng):
    images, labels = make_data(rng)
    n = len(images)
    batch_size = draw_int(rng, 4, 12)
    seed = draw_int(rng, 0, 2**31 - 1)
    run = learner.run(loader_epochs, images, labels, batch_size, [seed], [0], 2)[0]
    by_label = torch.argsort(labels)  # by_label[k] = the index of the sample labelled k
    for e, epoch in enumerate(run["epochs"], start=1):
        seen = labels_of(epoch, t("epoch {e}", e=e)).long()
        counts = torch.bincount(seen.clamp(0, n - 1), minlength=n) if seen.numel() else torch.zeros(n)
        missing = (counts == 0).nonzero().flatten().tolist()
        repeated = (counts > 1).nonzero().flatten().tolist()
        if missing:
            fail(t("epoch {e} yielded {numel} samples for a dataset of {n}: {count} never appeared (drop_last=True, "
                   "or a sampler that draws with replacement?)", e=e, numel=seen.numel(), n=n, count=len(missing)),
                 LOADER_HINT)
        if repeated or seen.numel() != n:
            fail(t("epoch {e} yielded {numel} samples for a dataset of {n}; sample labelled {label} came more than "
                   "once", e=e, numel=seen.numel(), n=n, label=repeated[0] if repeated else '?'), LOADER_HINT)
        batch_images = torch.cat([batch[0] for batch in epoch])
        expected = images[by_label[seen]]
        if batch_images.shape != expected.shape or not torch.equal(batch_images, expected):
            fail(t("in epoch {e} the images do not match their labels", e=e),
                 t("return images[index] and labels[index] for the same index"))


@pytest.mark.points(2)
def test_seeded_shuffle_order(learner, rng):
    images, labels = make_data(rng)
    batch_size = draw_int(rng, 4, 12)
    seed, other = torch.randint(0, 2**31, (2,), generator=rng).tolist()
    if other == seed:
        other += 1
    global_seeds = torch.randint(0, 2**31, (3,), generator=rng).tolist()
    runs = learner.run(loader_epochs, images, labels, batch_size, [seed, seed, other], global_seeds, 2)
    first, again, different = ([labels_of(epoch, t("an epoch with seed {s}", s=s)) for epoch in run["epochs"]]
                               for run, s in zip(runs, (seed, seed, other)))
    if not all(run["global_rng_untouched"] for run in runs):
        fail(t("make_loader (or iterating its loader) changed the global random state"),
             t("seed a torch.Generator of the loader's own instead of calling torch.manual_seed"))
    if torch.equal(first[0], labels):
        fail(t("the loader returned the samples in their stored order: it does not shuffle"), LOADER_HINT)
    if not torch.equal(first[0], again[0]):
        fail(t("two loaders built with seed {seed} gave different orders: the shuffle follows the global random "
               "state, not the seed", seed=seed), LOADER_HINT)
    if torch.equal(first[0], different[0]):
        fail(t("seeds {seed} and {other} gave the same order: the seed is ignored", seed=seed,
               other=other), LOADER_HINT)
    if torch.equal(first[0], first[1]):
        fail(t("the second epoch repeated the first epoch's order; each epoch should reshuffle"),
             t("create the generator once, in make_loader, and let the DataLoader advance it"))


@pytest.mark.points(1)
def test_channel_statistics(learner, rng):
    images, _ = make_data(rng)
    result = learner.run(stats, images)
    mean, std = true_stats(images)
    expect_close(result["mean"], mean.float(), t("{call} for images of shape {shape}", call="channel_stats(images)[0]",
                                                 shape=tuple(images.shape)),
                 rtol=1e-4, atol=1e-5, check_dtype=False,
                 hint=t("scale to [0, 1] (divide by 255) and average over dims 0, 2 and 3"))
    expect_close(result["std"], std.float(), t("{call} for images of shape {shape}", call="channel_stats(images)[1]",
                                               shape=tuple(images.shape)),
                 rtol=2e-3, atol=1e-5, check_dtype=False,
                 hint=t("scale to [0, 1] first and take the std over dims 0, 2 and 3, per channel"))


@pytest.mark.points(2)
def test_normalization(learner, rng, device, check_seed):
    images, _ = make_data(rng)
    mean, std = true_stats(images)
    result = learner.run(transform_outputs, images, mean.tolist(), std.tolist(), False, device, check_seed, 2)
    outputs = result["outputs"][0]
    if not all(on_device(where, device) for where in result["devices"]):
        fail(t("make_transform(mean, std, train=False) returned images on {names} for input on {device}",
               names=', '.join(result['devices']),
               device=device), t("keep every step on the input's device (v2 transforms do)"))
    for i, (out, repeat) in enumerate(zip(outputs, result["outputs"][1])):
        what = f"make_transform(mean, std, train=False)(images[{i}])"
        expect_dtype(expect_shape(out, images[i].shape, what, TRANSFORM_HINT), torch.float32, what, TRANSFORM_HINT)
        if not torch.equal(out, repeat):
            fail(t("{what} changed between two calls: the evaluation transform is random", what=what),
                 t("add the augmentation only when train=True"))
        expected = normalized(images[i], mean, std)
        unscaled = ((images[i].double() - mean.view(-1, 1, 1)) / std.view(-1, 1, 1)).float()
        if not torch.allclose(out, expected, rtol=1e-4, atol=1e-4) and torch.allclose(out, unscaled, rtol=1e-4):
            fail(t("{what} was normalized from 0..255, not from 0..1", what=what),
                 t("convert with v2.ToDtype(torch.float32, scale=True) before v2.Normalize"))
        expect_close(out, expected, what, rtol=1e-4, atol=1e-4, hint=TRANSFORM_HINT)
    stacked = torch.stack(outputs).double()
    got_mean, got_std = stacked.mean(dim=(0, 2, 3)), stacked.std(dim=(0, 2, 3))
    expect_close(got_mean, torch.zeros(3, dtype=torch.float64), t("the per-channel mean of the normalized images"),
                 atol=1e-3, hint=TRANSFORM_HINT)
    expect_close(got_std, torch.ones(3, dtype=torch.float64), t("the per-channel std of the normalized images"),
                 atol=1e-2, hint=TRANSFORM_HINT)


@pytest.mark.points(1)
def test_augmentation_changes_images_keeps_labels(learner, rng, check_seed):
    images, labels = make_data(rng)
    mean, std = true_stats(images)
    indices = torch.randperm(len(images), generator=rng)[:8].tolist()
    result = learner.run(augmented_items, images, labels, indices, mean.tolist(), std.tolist(), check_seed, 6)
    if not result["kind"].startswith("torchvision.transforms.v2."):
        fail(t("make_transform returned a {kind}, not a torchvision.transforms.v2 transform", kind=result['kind']),
             t("build it with v2.Compose([...]) from torchvision.transforms.v2"))
    changed, varied = 0, 0
    for k, i in enumerate(indices):
        plain = normalized(images[i], mean, std)
        draws = []
        for row in result["items"]:
            image, label = row[k]
            what = t("ds[{i}] with make_transform(mean, std, train=True)", i=i)
            expect_dtype(expect_shape(image, images[i].shape, what, t("the augmentation must keep the image's shape")),
                         torch.float32, what, TRANSFORM_HINT)
            if label != int(labels[i]):
                fail(t("the label of {what} is {label}, expected {expected}: the augmentation changed it",
                       what=what, label=label, expected=int(labels[i])),
                     t("transform the image only; the label stays labels[i]"))
            changed += not torch.allclose(image, plain, rtol=1e-4, atol=1e-4)
            draws.append(image)
        varied += any(not torch.equal(draws[0], d) for d in draws[1:])
    total = len(indices) * len(result["items"])
    if not changed:
        fail(t("with train=True, all {total} augmented images equal the plain normalized ones", total=total),
             t("add a random augmentation, e.g. v2.RandomHorizontalFlip(), when train=True"))
    if not varied:
        fail(t("with train=True, each image came out the same in every one of 6 draws: the augmentation is not random"),
             t("use a random transform (v2.RandomHorizontalFlip, v2.RandomCrop with padding, ...)"))
