"""Bar tracking: follow the plate centre or bar end through a clip, frame by frame."""

from analysis.tracking.track import STATE_ANCHOR, STATE_LOST, STATE_NONE, STATE_TRACKED, Track
from analysis.tracking.tracker import BarTracker, TrackerSettings

__all__ = ["STATE_ANCHOR", "STATE_LOST", "STATE_NONE", "STATE_TRACKED", "BarTracker", "Track",
           "TrackerSettings"]
