"""The server's state of one record, as the merge needs it (and as the server persists it).

Per leaf (see :mod:`field_app.core.sync.leaves`) the state keeps a *register*: the writes no
other write has seen yet — its **heads**. One head: the leaf has a plain value. Several heads
(concurrent writes, none of which had seen the others): the leaf is contested; every candidate
is kept, and :mod:`field_app.core.sync.conflicts` says whether that is a dispute for a
supervisor or an automatic "latest wins". A write that had seen every head replaces them all.

**Who saw what** (:meth:`Write.saw`) is decided from the checkpoints the devices had pulled,
never from arrival order or device clocks: write *b* saw write *a* when *a* was applied at a
server sequence number the device of *b* had pulled (``a.seq <= b.checkpoint``), or when both
come from the same device and *a* came first there (a device builds on its own edits). With
the protocol's guarantees below this relation is a strict partial order, the heads are its
maximal elements, and so they do not depend on the order the writes arrive in.

The protocol's guarantees that make it so (the caller keeps them):

1. ``seq`` grows with every change the server applies, and a device's ``checkpoint`` is a seq
   it pulled, so a mutation's checkpoint is below the seq it is applied at.
2. A device's checkpoint never goes back, and it moves only when its outbox is empty (all
   acknowledged): otherwise a pulled value hidden behind a still-pending local edit would
   count as seen.
3. The mutations of one device on one record are merged in device order: a push sends the
   outbox from its oldest pending mutation, and a mutation waits in the backlog while an
   earlier mutation of the same device for the same record waits there. (An older mutation
   arriving after a newer one of the same device is still merged, best effort: it loses to
   the newer one where both wrote.)

The server's own device (supervisors' resolutions) keeps them too: increasing device seqs,
and as checkpoint the server's seq when the resolution is made.

What the server persists per record is :meth:`EntityState.to_json`: the registers (per leaf,
its heads: value, base, device id and seq, server seq, checkpoint, hybrid logical clock), the
set of mutation keys already merged into the record (idempotency: one pair per mutation; it
could be compacted to a per-device high-water mark once the device has acknowledged past it),
the seq of its last change (what a pull compares with its checkpoint), and for a visit its
content, for a problem its event log. Conflicts are derived from it, never stored apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from field_app.core.sync.field_policy import TOMBSTONE, Storage, policy_for
from field_app.core.sync.leaves import Path, assemble, entry_of
from field_app.core.sync.mutation import EntityKind

MutationKey = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Write:
    """One mutation's write to one leaf."""

    value: Any
    base: Any  # what the writer saw at this leaf (None: nothing)
    device_id: str
    device_seq: int
    seq: int  # the server sequence number it was applied at
    checkpoint: int  # the last server seq its device had pulled (0: none)
    hlc: str

    @property
    def key(self) -> MutationKey:
        return (self.device_id, self.device_seq)

    @property
    def order(self) -> tuple[str, str, int]:
        """Display order: hybrid logical clock, then device, then device seq (total)."""
        return (self.hlc, self.device_id, self.device_seq)

    def saw(self, other: Write) -> bool:
        """Had this write's device seen ``other`` when it made this write?"""
        if other.device_id == self.device_id:
            return other.device_seq < self.device_seq
        return other.seq <= self.checkpoint

    def concurrent(self, other: Write) -> bool:
        return not self.saw(other) and not other.saw(self)

    def to_json(self) -> list[Any]:
        return [self.value, self.base, self.device_id, self.device_seq, self.seq, self.checkpoint, self.hlc]

    @classmethod
    def from_json(cls, data: list[Any]) -> Write:
        value, base, device_id, device_seq, seq, checkpoint, hlc = data
        return cls(value, base, device_id, device_seq, seq, checkpoint, hlc)


Heads = tuple[Write, ...]  # sorted by Write.order: the last one is shown


def add_write(heads: Heads, write: Write) -> tuple[Heads, str]:
    """Merge ``write`` into a register. Returns the new heads and what became of the write:
    ``"duplicate"``, ``"superseded"`` (a head had seen it), ``"sole"`` (it saw every head) or
    ``"concurrent"`` (it joins heads it had not seen)."""
    if any(head.key == write.key for head in heads):
        return heads, "duplicate"
    if any(head.saw(write) for head in heads):
        return heads, "superseded"
    kept = [head for head in heads if not write.saw(head)]
    merged = tuple(sorted([*kept, write], key=lambda head: head.order))
    return merged, "concurrent" if kept else "sole"


def shown_value(heads: Heads) -> Any:
    """What a leaf shows: its only head's value, or among concurrent heads the one with the
    greatest hybrid logical clock (the deterministic choice, whatever the arrival order)."""
    return heads[-1].value


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """A problem event in its problem's log, with the clock it is ordered by."""

    event_id: str
    content: Mapping[str, Any]
    hlc: str
    device_id: str
    device_seq: int
    seq: int

    @property
    def order(self) -> tuple[str, str]:
        return (self.hlc, self.event_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "content": dict(self.content),
            "hlc": self.hlc,
            "device_id": self.device_id,
            "device_seq": self.device_seq,
            "seq": self.seq,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LoggedEvent:
        return cls(**data)


@dataclass(frozen=True)
class EntityState:
    """One record on the server. Treat as immutable: the merge returns a new one."""

    kind: EntityKind
    entity_id: str
    registers: Mapping[Path, Heads] = field(default_factory=dict)
    applied: frozenset[MutationKey] = frozenset()
    seq: int = 0  # the server seq of its last change
    content: Mapping[str, Any] | None = None  # append-only kinds: the record as inserted
    events: tuple[LoggedEvent, ...] = ()  # problems: every event, in (hlc, event id) order

    @property
    def storage(self) -> Storage:
        return policy_for(self.kind).storage

    def heads(self, path: Path) -> Heads:
        return self.registers.get(path, ())

    def shown(self, path: Path, default: Any = None) -> Any:
        heads = self.registers.get(path)
        return shown_value(heads) if heads else default

    @property
    def deleted(self) -> bool:
        return self.shown((TOMBSTONE,), False) is True

    def values(self) -> dict[str, Any]:
        """The record's JSON values as the server shows them (every contested leaf shows its
        candidate with the greatest hybrid logical clock). Validate with ``parse_record``."""
        if self.storage is Storage.APPEND:
            return dict(self.content or {})
        shown = {path: shown_value(heads) for path, heads in self.registers.items()}
        return assemble(policy_for(self.kind), self.entity_id, shown)

    def hidden_entry(self, name: str, key: Any) -> dict[str, Any]:
        """A keyed entry as its leaves hold it, whether or not it is currently present."""
        rule = policy_for(self.kind).field(name)
        fields = {
            path[2]: shown_value(heads)
            for path, heads in self.registers.items()
            if len(path) == 3 and path[0] == name and path[1] == key
        }
        return entry_of(rule, key, fields)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "entity_id": self.entity_id,
            "seq": self.seq,
            "registers": [
                [list(path), [head.to_json() for head in heads]]
                for path, heads in sorted(self.registers.items(), key=lambda item: repr(item[0]))
            ],
            "applied": sorted([list(key) for key in self.applied]),
            "content": None if self.content is None else dict(self.content),
            "events": [event.to_json() for event in self.events],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EntityState:
        return cls(
            kind=EntityKind(data["kind"]),
            entity_id=data["entity_id"],
            seq=data["seq"],
            registers={
                tuple(path): tuple(Write.from_json(head) for head in heads)
                for path, heads in data["registers"]
            },
            applied=frozenset((device, seq) for device, seq in data["applied"]),
            content=data["content"],
            events=tuple(LoggedEvent.from_json(event) for event in data["events"]),
        )


__all__ = ["EntityState", "Heads", "LoggedEvent", "MutationKey", "Write", "add_write", "shown_value"]
