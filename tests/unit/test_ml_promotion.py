"""Whether a trained version becomes active (core.ml.promotion): against the baseline, against the active version,
and, for the anomaly model, against flagging minutes at random with a margin on enough evidence."""

from core.ml.promotion import (ACTIVATE, KEEP_AS_CANDIDATE, MIN_FLAGGED_MINUTES, MIN_LIFT, MIN_STRETCHES, REJECT,
                               AgainstActive, anomaly_beats_chance, promotion)


def test_a_version_that_does_not_beat_its_baseline_is_rejected_whatever_the_active_one():
    status, decision = promotion(False, "does not beat the baseline: ROC-AUC 0.51 against 0.52", None)
    assert status == REJECT and decision.startswith("Not made active") and "0.51 against 0.52" in decision
    assert promotion(False, "x", AgainstActive(1, True, "beats the active version 1"))[0] == REJECT


def test_the_first_version_that_beats_its_baseline_is_active_later_ones_only_if_they_beat_the_active_one():
    assert promotion(True, "beats the baseline", None)[0] == ACTIVATE
    assert promotion(True, "beats the baseline", AgainstActive(3, True, "beats the active version 3"))[0] == ACTIVATE
    against = AgainstActive(3, False, "does not beat the active version 3")
    status, decision = promotion(True, "beats the baseline", against)
    assert status == KEEP_AS_CANDIDATE and "does not beat the active version 3" in decision


def figures(lift, flagged=MIN_FLAGGED_MINUTES, stretches=MIN_STRETCHES):
    return {"lift": lift, "lift_minutes_flagged": flagged, "stretches": stretches}


def test_an_anomaly_model_beats_chance_only_by_a_margin_on_enough_flagged_minutes():
    assert anomaly_beats_chance(figures(MIN_LIFT))
    assert anomaly_beats_chance(figures(3.8, flagged=120, stretches=13))
    assert not anomaly_beats_chance(figures(1.03, flagged=500, stretches=40))  # chance (no hidden causes)
    assert not anomaly_beats_chance(figures(MIN_LIFT - 0.01))
    assert not anomaly_beats_chance(figures(5.0, flagged=MIN_FLAGGED_MINUTES - 1))  # too little evidence
    assert not anomaly_beats_chance(figures(5.0, stretches=MIN_STRETCHES - 1))  # one odd spell is one case
    assert not anomaly_beats_chance(figures(None, flagged=0, stretches=0))  # not measurable
