"""Command-line options shared by ``liftlens analyze`` and ``liftlens batch``.

Imports nothing heavy at module level, so ``liftlens --help`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_analysis_options(p: argparse.ArgumentParser) -> None:
    """``--tempo``, ``--cutoff-hz``, ``--hold-min``, ``--loss-threshold`` (see
    :func:`analysis_settings`)."""
    p.add_argument("--tempo", metavar="E-B-C-T", help="prescribed tempo to check, e.g. 3-1-X-0")
    p.add_argument("--cutoff-hz", type=float, help="low-pass cut-off (default: residual analysis)")
    p.add_argument("--hold-min", type=float, default=1.0, metavar="S",
                   help="shortest isometric hold in seconds (default 1.0)")
    p.add_argument("--loss-threshold", type=float, default=20.0, metavar="P",
                   help="flag a velocity loss above P %% (default 20)")


def analysis_settings(args: argparse.Namespace) -> Any:
    """:class:`analysis.lift.result.AnalysisSettings` from :func:`add_analysis_options`'
    arguments.

    Raises
    ------
    ValueError
        A bad value (e.g. a tempo that is not E-B-C-T), in plain words.
    """
    from analysis.lift.kinematics import KinematicsSettings
    from analysis.lift.rep_phases import RepSettings
    from analysis.lift.result import AnalysisSettings

    return AnalysisSettings(kinematics=KinematicsSettings(cutoff_hz=args.cutoff_hz),
                            reps=RepSettings(hold_min_s=args.hold_min),
                            velocity_loss_threshold_pct=args.loss_threshold,
                            prescribed_tempo=args.tempo)
