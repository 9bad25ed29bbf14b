"""Andon calls: raising one (from a PLC fault, an operator, a quality check) and finding the open ones.

The andon workflow (acknowledge, resolve, timed escalation) builds on these.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.persistence.andon_tables import AndonCall

PLC_RAISER = "plc"


def raise_andon_call(session: Session, equipment_id: int, priority: str, at: datetime, source: str,
                     raised_by: str, fault_code: str | None = None, reason_code: str | None = None,
                     note: str = "") -> AndonCall:
    """Open a call for help at a machine, in the caller's transaction.

    A machine has at most one open call per fault: raising the same fault again
    while its call is still open returns that call.
    """
    if fault_code is not None:
        open_call = session.scalars(select(AndonCall).where(
            AndonCall.equipment_id == equipment_id, AndonCall.fault_code == fault_code,
            AndonCall.status != "resolved")).first()
        if open_call is not None:
            return open_call
    call = AndonCall(equipment_id=equipment_id, raised_at=at, priority=priority, source=source,
                     raised_by=raised_by, fault_code=fault_code, reason_code=reason_code, note=note, status="open")
    session.add(call)
    session.flush()
    return call


def open_calls(session: Session) -> list[AndonCall]:
    return list(session.scalars(select(AndonCall).where(AndonCall.status != "resolved")
                                .order_by(AndonCall.raised_at)))
