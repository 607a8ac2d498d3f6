"""Qt views of LiftLens: canvas, timeline, transport, panels. No analysis logic here."""
