"""Qt views of LiftLens: canvas, timeline, transport, panels. No analysis logic here."""

# OpenCV set up before cv2 loads (analysis.opencv_setup).
import analysis  # noqa: F401,E402
