"""A learner's module for tests/sandbox/test_ranks.py: what each rank calls."""

import time


def double(x):
    return 2 * x


def fail_on(rank, bad_rank):
    if rank == bad_rank:
        raise ValueError(f"rank {rank} is the bad one")


def spin():
    while True:
        pass


def sleep_forever():
    time.sleep(3600)
