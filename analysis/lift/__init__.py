"""Lift analysis from a bar track: kinematics, rep phases, rep and set metrics."""
