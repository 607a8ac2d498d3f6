"""The comparison table's B − A column agrees with the rounded A and B printed beside it."""

from __future__ import annotations

import pytest

from analysis.compare.shown import shown_difference


@pytest.mark.parametrize(("va", "vb", "fmt", "want"), [
    (9.4, 7.6, ".0f", "-1"),  # printed 9 and 8: it read -2
    (0.834, 0.806, ".2f", "-0.02"),  # printed 0.83 and 0.81: it read -0.03
    (1.476, 1.484, ".2f", "0.00"),  # printed 1.48 and 1.48: it read +0.01
    (1.481, 1.479, ".2f", "0.00"),  # equal as printed: no "-0.00"
    (4.2, 4.4, ".0f", "0"),  # no "-0" / "+0"
    (0.63, 0.70, ".2f", "+0.07"),
    (-3.0, 2.5, "+.1f", "+5.5"),  # a signed format (drift, sideways distances)
])
def test_the_difference_is_that_of_the_values_as_printed(va, vb, fmt, want):
    assert shown_difference(va, vb, fmt) == want


def test_the_a_vs_b_rows_agree_with_their_printed_values():
    """Every numeric row of two weightlifting attempts' table: B − A is the difference
    of the printed A and B."""
    import numpy as np

    from analysis.lift.attempts import compare_attempt_rows
    from analysis.lift.weightlifting import analyze_weightlifting
    from tests.analysis.test_weightlifting_profiles import M, W, _track

    a = analyze_weightlifting(*_track(W.snatch(1)), m_per_px=M, lift="snatch").attempts[0]
    b = analyze_weightlifting(*_track(W.snatch(3)), m_per_px=M, lift="snatch").attempts[0]
    checked = 0
    for _label, sa, sb, d in compare_attempt_rows(a, b):
        try:
            va, vb, vd = float(sa), float(sb), float(d)
        except ValueError:
            continue
        assert np.isclose(vd, vb - va, atol=1e-9), (_label, sa, sb, d)
        checked += 1
    assert checked >= 6
