"""Metres per pixel: the plate's rim measured over frames, or a drawn line."""
