"""The outbox mutation: one local change, as the device sends it and the server receives it.

Every change a worker makes offline becomes one :class:`Mutation` (ARCHITECTURE.md §2). Its
identity is ``(device_id, device_seq)``: the server applies it at most once and refuses the same
identity with different content (a cloned or restored tablet). ``device_seq`` is increasing and
never reused by a device, but **not contiguous**: a device skips the rest of a reserved block
after a restart (see ``field_app/store/sequence.py``), so the server must not expect every number.

``fields`` hold, per top-level field of the record, the new value and the value the user saw
when they made the change (``base``): the server's three-way merge compares the two with its
own current value. Values are in their JSON form (``model_dump(mode="json")``), so both sides
compare the same things. A nested field (a household's ``housing``) is one field: it changes as
a whole.

Ordering between devices never comes from device time: ``hlc`` orders events, ``checkpoint``
says what the device had seen. ``wall_time`` (ms since the epoch, device clock), ``monotonic_ns``
and ``boot_id`` are kept to re-anchor times at sync when the device clock was wrong.

Pure: imports pydantic and the core only (a test imports the core with frameworks blocked).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from field_app.core.sync.hlc import HlcTimestamp


class EntityKind(StrEnum):
    """Kinds of records that sync as mutations (drafts, photos and settings do not)."""

    HOUSEHOLD = "household"
    MEMBER = "member"
    VISIT = "visit"
    PROBLEM = "problem"
    PROBLEM_EVENT = "problem_event"


class MutationOp(StrEnum):
    CREATE = "create"  # a new household, member or problem
    UPDATE = "update"  # changed fields of an existing record
    DELETE = "delete"  # a tombstone: the record stays, marked deleted
    APPEND = "append"  # an append-only record (visit, problem event): insert if absent


class FieldChange(BaseModel):
    """One field of a mutation: ``{"value": new, "base": what the user saw}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Any = None
    base: Any = None


class Mutation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    device_id: Annotated[str, Field(min_length=1, max_length=100)]
    device_seq: Annotated[int, Field(ge=1)]
    entity: EntityKind
    entity_id: Annotated[str, Field(min_length=1, max_length=100)]
    op: MutationOp
    fields: dict[str, FieldChange] = {}
    # The last server checkpoint the device had pulled; None before its first pull.
    checkpoint: Annotated[int, Field(ge=0)] | None = None
    hlc: str
    wall_time: int  # ms since the epoch by the device clock: untrusted, kept for re-anchoring
    monotonic_ns: Annotated[int, Field(ge=0)]
    boot_id: Annotated[str, Field(max_length=100)]

    @field_validator("hlc")
    @classmethod
    def _hlc_text(cls, value: str) -> str:
        HlcTimestamp.parse(value)  # raises ValueError on a malformed timestamp
        return value

    @property
    def key(self) -> tuple[str, int]:
        return (self.device_id, self.device_seq)

    @property
    def timestamp(self) -> HlcTimestamp:
        return HlcTimestamp.parse(self.hlc)


# The two helpers below build FieldChange without re-validating (model_construct): their
# inputs are already the JSON form of a validated record, and a village import makes tens of
# thousands of them.


def creation_fields(values: Mapping[str, Any]) -> dict[str, FieldChange]:
    """Every field of a new record, with no base (nobody saw an earlier value)."""
    return {name: FieldChange.model_construct(value=value, base=None) for name, value in values.items()}


def diff_fields(seen: Mapping[str, Any], changed: Mapping[str, Any]) -> dict[str, FieldChange]:
    """The fields whose value differs between what the user saw and the new record, with the
    seen value as base. Both mappings are JSON forms of the same model."""
    return {
        name: FieldChange.model_construct(value=value, base=seen.get(name))
        for name, value in changed.items()
        if seen.get(name) != value
    }


def apply_fields(values: Mapping[str, Any], fields: Mapping[str, FieldChange]) -> dict[str, Any]:
    """``values`` with the mutation's new values put on top (re-applying a pending local change
    onto a newer server state). Returns a new dict; the caller validates it as the model."""
    return {**values, **{name: change.value for name, change in fields.items()}}


__all__ = [
    "EntityKind",
    "FieldChange",
    "Mutation",
    "MutationOp",
    "apply_fields",
    "creation_fields",
    "diff_fields",
]
