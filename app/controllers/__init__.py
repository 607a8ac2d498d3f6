"""Controllers: each owns one concern of the window (analysis, drawing, export, sessions, comparison)."""
