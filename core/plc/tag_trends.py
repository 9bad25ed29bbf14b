"""Tag trends for a machine over a window: raw samples for short windows, minute summaries for long ones,
down-sampled to at most `max_points` per trace (tsdownsample's MinMaxLTTB keeps the peaks a plain
decimation would drop)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tsdownsample import MinMaxLTTBDownsampler

from core.persistence.plc_tables import TagMinute, TagSample

RAW_UP_TO = timedelta(hours=12)  # a shift or two in raw samples; longer windows read the minute summaries
MAX_POINTS = 2_000


@dataclass(frozen=True)
class TagSeries:
    tag: str
    times: list[datetime]
    values: list[float]
    resolution: str  # "samples" (a step line: each value holds until the next) or "minutes" (means)
    lows: list[float] | None = None  # per-minute minimum and maximum, for the band around the mean
    highs: list[float] | None = None


def tag_trends(db: sessionmaker[Session], equipment_id: int, tags: list[str], start: datetime, end: datetime,
               max_points: int = MAX_POINTS) -> list[TagSeries]:
    if end <= start:
        raise ValueError("the trend window must end after it starts")
    with db() as session:
        if end - start <= RAW_UP_TO:
            return [_samples(session, equipment_id, tag, start, end, max_points) for tag in tags]
        return [_minutes(session, equipment_id, tag, start, end, max_points) for tag in tags]


def _samples(session: Session, equipment_id: int, tag: str, start: datetime, end: datetime,
             max_points: int) -> TagSeries:
    of_tag = (TagSample.equipment_id == equipment_id, TagSample.tag == tag)
    before = session.execute(select(TagSample.at_epoch, TagSample.value).where(
        *of_tag, TagSample.at_epoch < start.timestamp()).order_by(TagSample.at_epoch.desc()).limit(1)).first()
    rows = session.execute(select(TagSample.at_epoch, TagSample.value).where(
        *of_tag, TagSample.at_epoch >= start.timestamp(), TagSample.at_epoch <= end.timestamp())
        .order_by(TagSample.at_epoch)).all()
    if before is not None:  # the value holding when the window opens
        rows = [(start.timestamp(), before[1]), *rows]
    if rows and rows[-1][0] < end.timestamp():  # a sample holds until the next one: draw it to the window's end
        rows = [*rows, (end.timestamp(), rows[-1][1])]
    x, y = _arrays(rows)
    keep = _downsampled(x, y, max_points)
    return TagSeries(tag, _times(x[keep]), y[keep].tolist(), "samples")


def _minutes(session: Session, equipment_id: int, tag: str, start: datetime, end: datetime,
             max_points: int) -> TagSeries:
    rows = session.execute(select(TagMinute.minute_epoch, TagMinute.mean, TagMinute.minimum, TagMinute.maximum).where(
        TagMinute.equipment_id == equipment_id, TagMinute.tag == tag,
        TagMinute.minute_epoch >= int(start.timestamp()) // 60 * 60, TagMinute.minute_epoch < end.timestamp())
        .order_by(TagMinute.minute_epoch)).all()
    x, y = _arrays([(row[0], row[1]) for row in rows])
    keep = _downsampled(x, y, max_points)
    lows = np.array([row[2] for row in rows], dtype=np.float64)[keep] if rows else np.array([])
    highs = np.array([row[3] for row in rows], dtype=np.float64)[keep] if rows else np.array([])
    return TagSeries(tag, _times(x[keep]), y[keep].tolist(), "minutes", lows.tolist(), highs.tolist())


def _arrays(rows) -> tuple[np.ndarray, np.ndarray]:
    return (np.array([row[0] for row in rows], dtype=np.float64), np.array([row[1] for row in rows], dtype=np.float64))


def _downsampled(x: np.ndarray, y: np.ndarray, max_points: int) -> np.ndarray:
    if len(x) <= max_points:
        return np.arange(len(x))
    return MinMaxLTTBDownsampler().downsample(x, y, n_out=max_points).astype(np.int64)


def _times(epochs: np.ndarray) -> list[datetime]:
    return [datetime.fromtimestamp(float(epoch), timezone.utc) for epoch in epochs]
