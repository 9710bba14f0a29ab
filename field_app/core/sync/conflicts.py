"""Conflicts: derived from a record's state, never stored apart from it, resolved by mutations.

A conflict exists exactly while a record's state holds it, so the set of conflicts is a
function of the state alone and shares its independence from arrival order:

* **disputed** — a leaf of an identity field (``FieldPolicy.rule == IDENTITY``, or a value in
  ``identity_values``) whose heads hold two or more different values. Every head is a
  candidate; the record shows the candidate with the greatest hybrid logical clock; the
  conflict is queued for a supervisor.
* **auto_resolved** — the same on a low-stakes leaf: the greatest clock wins and is shown; the
  losers stay listed (visible, not queued) until a later write that saw them settles the leaf.
* **delete_vs_edit** — the record's tombstone is a delete that is concurrent with a write to
  another leaf (the deleting device had not seen the edit, or the editing device had not seen
  the delete; both orders give this same conflict). The tombstone holds and the edit's values
  are kept in the record; queued for a supervisor, who confirms the delete or restores.

Two devices writing the same value from the same base are no conflict.

A conflict disappears when a write that had seen all its candidates lands on the leaf: a
supervisor's resolution (:func:`resolve` builds it — a mutation from the server's own device,
audited by the caller) or a field worker's edit made after pulling the contested state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from field_app.core.i18n import Message
from field_app.core.sync.field_policy import (
    TOMBSTONE,
    FieldPolicy,
    KindPolicy,
    Rule,
    Shape,
    Storage,
    policy_for,
)
from field_app.core.sync.leaves import Path, canonical, format_path, same, with_leaf
from field_app.core.sync.mutation import EntityKind, FieldChange, Mutation, MutationOp
from field_app.core.sync.state import EntityState, MutationKey, Write, shown_value


class ConflictKind(StrEnum):
    DISPUTED = "disputed"
    AUTO_RESOLVED = "auto_resolved"
    DELETE_VS_EDIT = "delete_vs_edit"


@dataclass(frozen=True)
class Candidate:
    """One competing write: its value, who wrote it, when (by clock), and what they had seen."""

    value: Any
    device_id: str
    device_seq: int
    hlc: str
    base: Any = None

    @property
    def key(self) -> MutationKey:
        return (self.device_id, self.device_seq)


@dataclass(frozen=True)
class Conflict:
    entity: EntityKind
    entity_id: str
    field: str  # the leaf as people read it: "head_name", "housing.grade", "deleted"
    path: Path  # the leaf's path (see field_app.core.sync.leaves)
    kind: ConflictKind
    base: Any  # the value the candidates started from (their common base, else the oldest's)
    candidates: tuple[Candidate, ...]  # in clock order; the last is shown
    displayed: Any  # what the record shows meanwhile

    @property
    def id(self) -> str:
        """Stable while the conflict lasts (its candidates may grow): one per leaf, plus one
        per record for delete vs edit."""
        suffix = "#delete_vs_edit" if self.kind is ConflictKind.DELETE_VS_EDIT else ""
        return f"{self.entity.value}/{self.entity_id}/{self.field}{suffix}"

    @property
    def queued(self) -> bool:
        """Waiting for a supervisor (disputed, delete vs edit), as opposed to auto-resolved."""
        return self.kind is not ConflictKind.AUTO_RESOLVED

    @property
    def choices(self) -> tuple[Any, ...]:
        """The distinct candidate values, in clock order of their latest writer."""
        seen: dict[str, Any] = {}
        for candidate in self.candidates:
            seen.pop(canonical(candidate.value), None)
            seen[canonical(candidate.value)] = candidate.value
        return tuple(seen.values())

    def involves(self, key: MutationKey) -> bool:
        return any(candidate.key == key for candidate in self.candidates)

    def message(self) -> Message:
        return Message(f"sync.conflict.{self.kind.value}", {"field": self.field})


def conflicts_of(state: EntityState | None) -> tuple[Conflict, ...]:
    """Every conflict the state holds, sorted by id: the same state gives the same tuple."""
    if state is None or state.storage is not Storage.FIELDS:
        return ()
    policy = policy_for(state.kind)
    found = [
        _leaf_conflict(state, policy, path, heads)
        for path, heads in state.registers.items()
        if len(heads) > 1 and len({canonical(head.value) for head in heads}) > 1
    ]
    deletion = _delete_vs_edit(state, policy)
    if deletion is not None:
        found.append(deletion)
    return tuple(sorted(found, key=lambda conflict: conflict.id))


def _leaf_conflict(state: EntityState, policy: KindPolicy, path: Path, heads: tuple[Write, ...]) -> Conflict:
    rule = policy.field(path[0])
    return Conflict(
        entity=state.kind,
        entity_id=state.entity_id,
        field=format_path(policy, path),
        path=path,
        kind=ConflictKind.DISPUTED if _is_identity(rule, heads) else ConflictKind.AUTO_RESOLVED,
        base=_base(heads),
        candidates=tuple(Candidate(h.value, h.device_id, h.device_seq, h.hlc, h.base) for h in heads),
        displayed=shown_value(heads),
    )


def _is_identity(rule: FieldPolicy, heads: Iterable[Write]) -> bool:
    if rule.shape in (Shape.SET, Shape.KEYED):
        return False
    if rule.rule is Rule.IDENTITY:
        return True
    return any(
        isinstance(value, str) and value in rule.identity_values
        for head in heads
        for value in (head.value, head.base)
    )


def _base(heads: tuple[Write, ...]) -> Any:
    bases = {canonical(head.base) for head in heads}
    if len(bases) == 1:
        return heads[0].base
    return min(heads, key=lambda head: head.order).base


def _delete_vs_edit(state: EntityState, policy: KindPolicy) -> Conflict | None:
    deletes = [head for head in state.heads((TOMBSTONE,)) if head.value is True]
    if not deletes:
        return None
    racing_deletes: dict[MutationKey, Write] = {}
    edits: dict[MutationKey, dict[str, Any]] = {}
    edit_writes: dict[MutationKey, Write] = {}
    for path, heads in sorted(state.registers.items(), key=lambda item: format_path(policy, item[0])):
        if path == (TOMBSTONE,):
            continue
        for head in heads:
            racing = [delete for delete in deletes if delete.concurrent(head)]
            if not racing:
                continue
            for delete in racing:
                racing_deletes[delete.key] = delete
            edits.setdefault(head.key, {})[format_path(policy, path)] = head.value
            edit_writes[head.key] = head
    if not edits:
        return None
    candidates = [Candidate(True, d.device_id, d.device_seq, d.hlc, d.base) for d in racing_deletes.values()]
    candidates += [
        Candidate(edits[key], write.device_id, write.device_seq, write.hlc, None)
        for key, write in edit_writes.items()
    ]
    candidates.sort(key=lambda candidate: (candidate.hlc, candidate.device_id, candidate.device_seq))
    return Conflict(
        entity=state.kind,
        entity_id=state.entity_id,
        field=TOMBSTONE,
        path=(TOMBSTONE,),
        kind=ConflictKind.DELETE_VS_EDIT,
        base=False,
        candidates=tuple(candidates),
        displayed=state.deleted,
    )


def resolve(
    state: EntityState,
    conflict: Conflict,
    value: Any,
    *,
    device_id: str,
    device_seq: int,
    checkpoint: int,
    hlc: str,
    wall_time: int = 0,
    monotonic_ns: int = 0,
    boot_id: str = "server",
) -> Mutation:
    """The mutation that settles ``conflict`` with ``value`` (for a delete vs edit: ``True``
    keeps the delete, ``False`` restores the record). It comes from the server's own device
    (``device_id``/``device_seq``), has seen everything (``checkpoint`` must be at least the
    state's last change), and writes the contested leaf even when ``value`` is what the record
    already shows (its base is another candidate). Merge it like any mutation."""
    if checkpoint < state.seq:
        raise ValueError("a resolution must have seen the state it resolves (checkpoint >= state.seq)")
    if conflict.kind is ConflictKind.DELETE_VS_EDIT:
        if not isinstance(value, bool):
            raise ValueError("a delete vs edit conflict is resolved with True (delete) or False (restore)")
        fields = {TOMBSTONE: FieldChange(value=value, base=not value)}
    else:
        fields = {conflict.path[0]: _leaf_change(state, conflict, value)}
    return Mutation(
        device_id=device_id,
        device_seq=device_seq,
        entity=state.kind,
        entity_id=state.entity_id,
        op=MutationOp.UPDATE,
        fields=fields,
        checkpoint=checkpoint,
        hlc=hlc,
        wall_time=wall_time,
        monotonic_ns=monotonic_ns,
        boot_id=boot_id,
    )


def _leaf_change(state: EntityState, conflict: Conflict, value: Any) -> FieldChange:
    path = conflict.path
    name = path[0]
    rule = policy_for(state.kind).field(name)
    other = next(
        (choice for choice in (conflict.displayed, *conflict.choices) if not same(choice, value)), None
    )
    if other is None:
        other = not value if isinstance(value, bool) else None
    top = state.values().get(name)
    entry = state.hidden_entry(name, path[1]) if rule.shape is Shape.KEYED else {}
    return FieldChange(
        value=with_leaf(rule, top, path, value, entry=entry),
        base=with_leaf(rule, top, path, other, entry=entry),
    )


__all__ = ["Candidate", "Conflict", "ConflictKind", "conflicts_of", "resolve"]
