"""LiftLens package."""
