"""The anomaly model of one machine: an IsolationForest on its running minutes, standardised against the machine's
own normal (median and inter-quartile range), and the flagged minutes merged into stretches described in plant
words. Pure: arrays in, arrays and stretches out; core.ml.anomaly reads and writes the store.

Why robust standardisation: an IsolationForest does not need it (its cuts are per feature), but the words do —
"which feature is furthest from normal" needs one yardstick per feature that a few odd minutes cannot stretch.

Why a range guard beside the forest: the forest's cuts lie inside the training range, so a minute far beyond
everything seen in training lands in the same leaf as the most extreme training minute and scores no odder than
it. Where normal variation has a sharp edge (a speed that wanders evenly between two limits), a cycle 20 % slower
than ever before then scores like an ordinary minute at the edge. So a minute is also flagged when a feature lies
more than RANGE_MARGIN robust standard deviations beyond the range of the training minutes.

Why two forests per machine, one on the five-minute features and one on the hour's: in one forest the minute-scale
jitter (a short stop's ragged counts) holds all the oddest training minutes, so the threshold sits in that noise
and an hour of slow running, never extreme minute by minute, is never flagged. Each forest gets its own threshold
from its own training scores; a minute is flagged when either flags it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import IsolationForest

from core.ml.anomaly_minutes import CYCLE_TIME, HOUR, REJECT_SHARE, TAG_PREFIX, UNITS, MachineMinutes

CONTAMINATION = 0.005  # the threshold: the oddest 0.5 % of training minutes score below it
TREES = 60  # of 128 minutes each: on the simulator detection as with 100 x 256 (lift 3.02 against 3.07 on 50
# machines x 90 days) and 38 % of the stored artefact (0.23 MB a machine; MariaDB refuses more than max_allowed_packet)
SAMPLES_PER_TREE = 128
RANDOM_STATE = 0  # same data, same model
MIN_TRAINING_MINUTES = 240  # four hours of running: fewer and "usual" means nothing
GAP_MINUTES = 2  # flagged minutes at most this many minutes apart belong to one stretch
MIN_FLAGGED = 3  # a stretch needs this many flagged minutes: a minute or two alone is noise
NOTABLE_Z = 3.0  # further features named in a detail when this far from usual (in robust standard deviations)
RANGE_MARGIN = 2.0  # robust standard deviations beyond the training range that flag a minute by themselves
IQR_TO_SD = 1.349  # the inter-quartile range of a normal distribution, in standard deviations


@dataclass
class ScaleForest:
    """The forest of one time scale (the five-minute or the hour's features) and its threshold."""

    columns: tuple[int, ...]  # which of the machine model's features it reads
    forest: IsolationForest
    threshold: float  # a minute whose score_samples is below this is flagged


@dataclass
class MachineModel:
    """What is normal for one machine, and the forests that score how odd a minute is."""

    equipment_id: int
    code: str
    features: tuple[str, ...]
    usual: np.ndarray  # median of each feature over the training minutes
    scale: np.ndarray  # robust standard deviation of each feature (IQR / 1.349; std, then a floor, if that is 0)
    forests: tuple[ScaleForest, ...]
    training_minutes: int
    low: np.ndarray  # the lowest and highest standardised value of each feature over the training minutes
    high: np.ndarray

    def standardised(self, minutes: MachineMinutes) -> tuple[np.ndarray, np.ndarray]:
        """(z, known): each minute's distance from usual per model feature; unknown values (NaN, or a feature the
        minutes lack) are set to usual (z = 0) so they never look odd, and `known` says which were measured."""
        raw = np.full((len(minutes.minutes), len(self.features)), np.nan)
        for index, name in enumerate(self.features):
            if name in minutes.features:
                raw[:, index] = minutes.column(name)
        known = ~np.isnan(raw)
        z = np.where(known, (raw - self.usual) / self.scale, 0.0)
        return z, known

    def score(self, minutes: MachineMinutes) -> tuple[np.ndarray, np.ndarray]:
        """(score, flagged) per minute: the lowest IsolationForest.score_samples of the forests (lower is odder);
        flagged when a forest's score is below its threshold or a feature is RANGE_MARGIN beyond the training
        range."""
        if len(minutes.minutes) == 0:
            return np.empty(0), np.zeros(0, dtype=bool)
        z, _known = self.standardised(minutes)
        scores = np.full(len(z), np.inf)
        flagged = ((z > self.high + RANGE_MARGIN) | (z < self.low - RANGE_MARGIN)).any(axis=1)
        for one in self.forests:
            scored = one.forest.score_samples(z[:, list(one.columns)])
            scores, flagged = np.minimum(scores, scored), flagged | (scored < one.threshold)
        return scores, flagged


@dataclass(frozen=True)
class Stretch:
    """Flagged minutes of one machine merged: [start, end) in epoch seconds."""

    equipment_id: int
    start: int
    end: int
    score: float  # the lowest (oddest) minute score in the stretch
    feature: str  # the feature furthest from usual over the stretch
    detail: str
    flagged_minutes: int


def fit_machine(minutes: MachineMinutes, contamination: float = CONTAMINATION,
                random_state: int = RANDOM_STATE) -> MachineModel | None:
    """The machine's model from its training minutes; None when it ran fewer than MIN_TRAINING_MINUTES minutes.
    A feature never measured in training (a tag never read) is left out."""
    if len(minutes.minutes) < MIN_TRAINING_MINUTES:
        return None
    measured = [i for i in range(len(minutes.features)) if np.isfinite(minutes.values[:, i]).any()]
    values = minutes.values[:, measured]
    usual = np.nanmedian(values, axis=0)
    scale = _robust_scale(values, usual)
    known = ~np.isnan(values)
    z = np.where(known, (values - usual) / scale, 0.0)
    names = tuple(minutes.features[i] for i in measured)
    forests = []
    for hourly in (False, True):
        columns = tuple(i for i, name in enumerate(names) if name.endswith(HOUR) == hourly)
        if columns:
            forest = IsolationForest(n_estimators=TREES, max_samples=min(SAMPLES_PER_TREE, len(z)),
                                     contamination=contamination, random_state=random_state).fit(z[:, list(columns)])
            forests.append(ScaleForest(columns, forest, float(forest.offset_)))
    return MachineModel(minutes.equipment_id, minutes.code, names, usual, scale, tuple(forests),
                        len(minutes.minutes), z.min(axis=0), z.max(axis=0))


def _robust_scale(values: np.ndarray, usual: np.ndarray) -> np.ndarray:
    q1, q3 = np.nanpercentile(values, [25, 75], axis=0)
    scale = (q3 - q1) / IQR_TO_SD
    spread = np.nanstd(values, axis=0)
    scale = np.where(scale > 0, scale, spread)  # mostly one value (no rejects most minutes): the plain spread
    floor = np.maximum(np.abs(usual) * 0.01, 1e-6)  # constant in training: a 1 % change already counts
    return np.where(scale > floor, scale, floor)


def merge_flagged(minutes: np.ndarray, flagged: np.ndarray, gap_minutes: int = GAP_MINUTES,
                  min_flagged: int = MIN_FLAGGED) -> list[np.ndarray]:
    """Indices (into `minutes`) of the flagged minutes of each stretch: flagged minutes whose starts are at most
    `gap_minutes` whole minutes apart (not counting themselves) are joined; stretches with fewer than
    `min_flagged` flagged minutes are dropped."""
    where = np.flatnonzero(flagged)
    if where.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(minutes[where]) > (gap_minutes + 1) * 60) + 1
    return [group for group in np.split(where, breaks) if group.size >= min_flagged]


def stretches(model: MachineModel, minutes: MachineMinutes, scores: np.ndarray, flagged: np.ndarray,
              gap_minutes: int = GAP_MINUTES, min_flagged: int = MIN_FLAGGED) -> list[Stretch]:
    """The machine's flagged minutes as stretches, each with its oddest score and what was odd, in words."""
    if not flagged.any():
        return []
    z, known = model.standardised(minutes)
    found = []
    for group in merge_flagged(minutes.minutes, flagged, gap_minutes, min_flagged):
        feature, detail = describe_stretch(model, minutes, group, z, known)
        found.append(Stretch(model.equipment_id, int(minutes.minutes[group[0]]), int(minutes.minutes[group[-1]]) + 60,
                             float(scores[group].min()), feature, detail, int(group.size)))
    return found


def closed(found: list[Stretch], end: float, gap_minutes: int = GAP_MINUTES) -> list[Stretch]:
    """The stretches no later minute can still join: the first minute not scored (at `end`) lies more than
    `gap_minutes` after each one's last flagged minute."""
    return [s for s in found if s.end + gap_minutes * 60 < end]


def unstored(found: list[Stretch], stored: dict[int, list[tuple[float, float]]]) -> list[Stretch]:
    """The stretches that overlap none already stored for their machine ((start, end) epoch seconds)."""
    return [s for s in found if not any(a < s.end and s.start < b for a, b in stored.get(s.equipment_id, ()))]


def describe_stretch(model: MachineModel, minutes: MachineMinutes, group: np.ndarray, z: np.ndarray,
                     known: np.ndarray) -> tuple[str, str]:
    """(feature, words): the feature whose median over the stretch is furthest from usual, then any other at
    least NOTABLE_Z robust standard deviations away (two at most)."""
    distance = np.abs(np.median(z[group], axis=0))
    measured = known[group].any(axis=0)
    order = [i for i in np.argsort(-distance, kind="stable") if measured[i]]
    if not order:
        return "", "no measured feature"
    named = [order[0]] + [i for i in order[1:3] if distance[i] >= NOTABLE_Z]
    words = []
    for index in named:
        column = z[group, index][known[group, index]]
        value = float(np.median(column)) * model.scale[index] + model.usual[index]
        words.append(describe(model.features[index], value, float(model.usual[index])))
    return model.features[order[0]], "; ".join(words)


def describe(feature: str, value: float, usual: float) -> str:
    """A feature's value against its usual value, in plant words ("over the last hour" for an hour's feature)."""
    base = feature.removesuffix(HOUR)
    over = " over the last hour" if feature.endswith(HOUR) else ""
    if base == CYCLE_TIME:
        change = value / usual - 1 if usual > 0 else 0.0
        pace = "slower" if change >= 0 else "faster"
        return (f"cycle time{over} {abs(change):.0%} {pace} than usual ({_number(value)} s a unit against "
                f"{_number(usual)} s)")
    if base == UNITS:
        return f"{_number(value)} units a minute{over} against {_number(usual)} usually"
    if base == REJECT_SHARE:
        return f"{value:.1%} rejects{over} against {usual:.1%} usually"
    name = base.removeprefix(TAG_PREFIX)
    direction = "above" if value >= usual else "below"
    return (f"{name}{over} {_number(abs(value - usual))} {direction} usual ({_number(value)} against "
            f"{_number(usual)})")


def _number(value: float) -> str:
    """Three significant figures, no exponent for plant-sized numbers."""
    if value == 0 or not np.isfinite(value):
        return f"{value:g}"
    digits = max(0, 2 - int(np.floor(np.log10(abs(value)))))
    return f"{value:,.{digits}f}"
