"""Progress across sessions: each lifter's sets from the library, the load-velocity
profile and the estimated 1RM, and the trends a coach follows."""
