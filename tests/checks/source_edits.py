"""Make a wrong answer from a reference solution by exact text substitution."""


class EditMissed(AssertionError):
    """The text a test meant to replace is not in the source (any more) as often as it expected."""


def replaced(source: str, *pairs: tuple[str, str], count: int = 1) -> str:
    """Apply each (old, new) pair in turn, replacing every occurrence of ``old``.

    Each ``old`` must occur exactly ``count`` times (once unless told otherwise) in the
    source as edited so far: an edit that misses, after the reference changed, fails the
    test loudly instead of grading the unmodified reference; one that hits more places than
    meant does too.
    """
    for old, new in pairs:
        found = source.count(old)
        if found != count:
            raise EditMissed(f"expected {count} occurrence(s) of {old!r} in the source, found {found}")
        source = source.replace(old, new)
    return source
