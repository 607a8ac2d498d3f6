"""LiftLens package."""

# OpenCV set up before cv2 loads (analysis.opencv_setup).
import analysis  # noqa: F401,E402

#: The release (kept equal to ``version`` in pyproject.toml; a test checks).
__version__ = "0.1.0"
