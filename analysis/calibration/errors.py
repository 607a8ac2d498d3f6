"""Why a plate could not be measured: said to the user, not a fault of the program."""

from __future__ import annotations


class PlateNotMeasured(ValueError):
    """The plate's rim was not found around the tracked point, or there is no track to
    follow; the message is a sentence for the user with what to do instead. A ValueError,
    as the measurement raised before."""
