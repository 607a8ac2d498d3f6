"""LiftLens package."""

#: The release (kept equal to ``version`` in pyproject.toml; a test checks).
__version__ = "0.1.0"
