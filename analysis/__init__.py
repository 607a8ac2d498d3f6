"""Qt-free core of LiftLens: video access, tracking, kinematics, reps, sessions."""

# Before anything imports cv2: the same numbers on every CPU (analysis.opencv_setup).
from analysis import opencv_setup as _opencv_setup  # noqa: F401
