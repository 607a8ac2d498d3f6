"""The bar track type lives with the session data (:mod:`analysis.session.track`);
re-exported here for the tracker and its callers."""

from analysis.session.track import (STATE_ANCHOR, STATE_LOST, STATE_NAMES, STATE_NONE,
                                    STATE_TRACKED, TARGET_BAR_END, TARGET_KINDS, TARGET_NAMES,
                                    TARGET_PLATE, TARGET_POINT, TARGET_UNKNOWN, Track)

__all__ = ["STATE_ANCHOR", "STATE_LOST", "STATE_NAMES", "STATE_NONE", "STATE_TRACKED",
           "TARGET_BAR_END", "TARGET_KINDS", "TARGET_NAMES", "TARGET_PLATE", "TARGET_POINT",
           "TARGET_UNKNOWN", "Track"]
