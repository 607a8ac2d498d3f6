"""OpenCV gives the same numbers on every CPU: its IPP path is switched off.

OpenCV hands some operations (blur, Sobel, resize, remap, template matching, the Canny
inside HoughCircles) to Intel's IPP when it is built in, and IPP picks its code by the
processor, so results differ in the last bits between an AVX2 and an AVX-512 machine and
between Intel and AMD. The tracker and the plate search amplify such bits: on one real
squat clip (owenyeo/barbell-tracker test3) the track moved by 1.6 px at the median and
13 px at most between IPP on and off, and the plate measured on it 78.5 px (AMD, AVX2),
83.8 px (Intel, AVX-512) or 88.1 px (IPP off, both machines); another squat clip's plate
read 365.8, 371.9 and 367.5 px. A coach must get the same numbers from the same clip on
any computer, so LiftLens runs OpenCV on its own kernels (measured cost: tracking about
5 % slower).

The switch lives in thread-local data in OpenCV (``cv::ipp::setUseIPP``), so it is made
through ``OPENCV_IPP=disabled``, which OpenCV reads once when it loads and applies to
every thread; this module sets it before ``cv2`` is first imported (``analysis``,
``app`` and ``widgets`` import it first). A value the user set is kept. OpenCV says
at load that IPP was disabled; that one line is kept out of the log with
``OPENCV_LOG_LEVEL=ERROR`` unless a level was set.
"""

from __future__ import annotations

import os
import sys


def switch_off_ipp() -> None:
    """Set up OpenCV without IPP for every thread (before ``cv2`` loads); when ``cv2``
    was already imported, switch IPP off on the calling thread, the most that can be done
    then."""
    if "cv2" not in sys.modules:
        os.environ.setdefault("OPENCV_IPP", "disabled")
        os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
        return
    if os.environ.get("OPENCV_IPP", "disabled") == "disabled":
        sys.modules["cv2"].ipp.setUseIPP(False)


switch_off_ipp()
