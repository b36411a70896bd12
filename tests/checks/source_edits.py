"""Make a wrong answer from a reference solution by exact text substitution."""


def replaced(source: str, *pairs: tuple[str, str]) -> str:
    """Apply each (old, new) pair; an ``old`` that is absent fails loudly, so a test
    never silently grades the unmodified reference."""
    for old, new in pairs:
        assert old in source, old
        source = source.replace(old, new)
    return source
