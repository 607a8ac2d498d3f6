"""Qt-free core of LiftLens: video access, tracking, kinematics, reps, sessions."""
