"""Re-anchoring visit times when a tablet's clock was wrong. Pure.

A tablet whose battery died may come back in 2000; a worker may set the date by hand. Its
visit times (``started_at``/``ended_at``) are then wrong, but its *monotonic* clock still
measures how long ago each mutation was made, as long as the tablet has not rebooted since.

At push the device sends its wall time, monotonic time and boot id (``X-Device-*`` headers).
When its wall time is off the server's by more than the tolerance and the mutation was made
in the same boot, the mutation's real moment is ``server now − (monotonic now − monotonic
then)``; the visit's times move by the difference between that and the device's wall time
then, and the visit says ``time_estimated``. Otherwise the times stay as the device gave them
(a reboot since, or a clock that was only wrong then, cannot be corrected). The mutation log
keeps the device's original times either way. These times only describe the visit: the order
between devices never comes from them (that is the hybrid logical clock's and the
checkpoints' job).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from field_app.core.sync.mutation import EntityKind, FieldChange, Mutation

_TIMES = ("started_at", "ended_at")


@dataclass(frozen=True)
class DeviceClock:
    """The device's clocks at the moment it pushed."""

    wall_ms: int
    monotonic_ns: int
    boot_id: str


def reanchor(mutation: Mutation, device: DeviceClock | None, *, server_ms: int, tolerance_ms: int) -> Mutation | None:
    """``mutation`` with its visit times moved onto the server's clock, or None when they stay."""
    if mutation.entity is not EntityKind.VISIT or device is None:
        return None
    if abs(server_ms - device.wall_ms) <= tolerance_ms:
        return None  # the device clock is right (enough): its times stand
    if not mutation.boot_id or mutation.boot_id != device.boot_id:
        return None  # rebooted since: the monotonic clock started again, no anchor left
    elapsed_ns = device.monotonic_ns - mutation.monotonic_ns
    if elapsed_ns < 0:
        return None
    made_at_ms = server_ms - elapsed_ns // 1_000_000
    fields = dict(mutation.fields)
    try:
        shift = timedelta(milliseconds=made_at_ms - mutation.wall_time)
        for name in _TIMES:
            change = fields.get(name)
            moment = _moment(change.value if change else None)
            if moment is None:
                return None  # malformed: the merge will refuse it with the field named
            fields[name] = FieldChange(value=(moment + shift).isoformat(), base=None)
    except OverflowError:
        return None  # a clock reading out of any calendar: nothing to anchor to
    fields["time_estimated"] = FieldChange(value=True, base=None)
    return mutation.model_copy(update={"fields": fields})


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


__all__ = ["DeviceClock", "reanchor"]
