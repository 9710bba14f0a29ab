"""The server's merge of one mutation into one record: a pure function.

    result = merge_mutation(current, mutation, seq=next_seq, missing=[...])

The caller (the sync service) does the I/O around it, per mutation, in a savepoint:

1. dedup by ``(device_id, device_seq)`` (the same key with other content is a cloned tablet);
2. ``ref = target_of(mutation)``; load ``current`` (``None`` if the record is not there);
3. ``missing = [r for r in requirements(mutation) if r is not on the server]``;
4. ``merge_mutation(current, mutation, seq=next_seq, missing=missing)``: ``next_seq`` is the
   next number of the server's change counter, the one pulls hand out as checkpoints (the
   caller consumes it when the mutation is accepted; numbers may be skipped);
5. store ``result.state`` when ``result.changed`` (and the mutation with its outcome always);
   put a ``deferred`` mutation in the backlog and merge it again when the record it waits for
   arrives — and defer a mutation while an earlier mutation of the same device for the same
   record waits in the backlog, so one device's mutations on one record are merged in device
   order (see ``state.py``). (Not behind other devices' mutations: a create must never wait
   behind a delete that waits for it.)

What each kind does:

* **households, members, problems** — field-level three-way merge, leaf by leaf
  (:mod:`~field_app.core.sync.leaves` cuts fields into leaves, :mod:`~field_app.core.sync.field_policy`
  says how each merges, :mod:`~field_app.core.sync.state` keeps the heads). Deletes are
  tombstones (the ``deleted`` leaf); a delete racing an edit is a conflict. A mutation whose
  checkpoint is not below ``seq`` (it claims to have seen changes the server has not made: a
  server restored from a backup) is ``rejected``, ``sync.future_checkpoint``. After merging, the
  record must still validate as its model; if not, the mutation is ``rejected`` with the
  validation reason and the state is unchanged. That check is the one place arrival order can
  decide: of two concurrent mutations that are each valid but invalid together, the one merged
  second is rejected (and kept by the caller for a supervisor).
* **visits** — insert if absent. The same id with the same content again: ``applied`` with
  ``duplicate`` set. The same id with other content: ``rejected``, ``sync.visit_conflict``.
  A visit waits (``deferred``) for its household and for the visit it ``amends``.
* **problem events** — appended to their problem's log (the problem's state is the target),
  ordered by hybrid logical clock then event id, and folded with ``fold_problem``. Every event
  is kept: the outcome is ``applied`` even when the fold refuses the event (wrong state, wrong
  role), and ``reason`` then carries the fold's refusal. The same event id with other content is
  ``rejected``, ``sync.event_conflict``. An event waits for its problem.

Order independence: the state — hence the record shown and the conflicts — is a function of
the set of merged mutations and the seqs they were merged at, not of the order they came in
(``seq`` only serves to decide who had seen what). Outcomes do depend on order (the first of
two concurrent edits is ``applied``, the second ``conflict``).

Pure: no I/O, no clock (``today`` for validation is a parameter), no globals.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date
from typing import Any, NamedTuple

from field_app.core.errors import ValidationError
from field_app.core.i18n import Message
from field_app.core.models import Problem, ProblemEvent, ProblemStatus, fold_problem, parse_record
from field_app.core.sync.conflicts import Conflict, conflicts_of
from field_app.core.sync.field_policy import ID_FIELD, TOMBSTONE, KindPolicy, Storage, policy_for
from field_app.core.sync.leaves import LeafChange, LeafError, format_path, leaf_changes, same
from field_app.core.sync.mutation import EntityKind, Mutation, MutationOp
from field_app.core.sync.outcome import MergeResult, Outcome
from field_app.core.sync.state import EntityState, LoggedEvent, Write, add_write


class EntityRef(NamedTuple):
    kind: EntityKind
    id: str


KIND_LABELS: Mapping[EntityKind, tuple[str, str]] = {
    EntityKind.HOUSEHOLD: ("贫困户", "household"),
    EntityKind.MEMBER: ("家庭成员", "member"),
    EntityKind.VISIT: ("走访记录", "visit"),
    EntityKind.PROBLEM: ("问题", "problem"),
    EntityKind.PROBLEM_EVENT: ("问题处理记录", "problem event"),
}

_ALLOWED_OPS: Mapping[Storage, frozenset[MutationOp]] = {
    Storage.FIELDS: frozenset({MutationOp.CREATE, MutationOp.UPDATE, MutationOp.DELETE}),
    Storage.APPEND: frozenset({MutationOp.APPEND}),
    Storage.EVENT: frozenset({MutationOp.APPEND}),
}


def target_of(mutation: Mutation) -> EntityRef:
    """The record whose state the mutation merges into: its own, except for a problem event,
    which goes into its problem's log."""
    if mutation.entity is EntityKind.PROBLEM_EVENT:
        change = mutation.fields.get("problem_id")
        if change is not None and isinstance(change.value, str) and change.value:
            return EntityRef(EntityKind.PROBLEM, change.value)
    return EntityRef(mutation.entity, mutation.entity_id)


def requirements(mutation: Mutation) -> tuple[EntityRef, ...]:
    """Other records that must be on the server before the mutation can merge: the household
    of a new member (or of one moved), of a visit or a problem; the visit a visit amends.
    (The target itself is the merge's own check.)"""
    policy = policy_for(mutation.entity)
    if policy.storage is Storage.EVENT or mutation.op is MutationOp.DELETE:
        return ()
    needed = []
    for name, kind in policy.references:
        change = mutation.fields.get(name)
        if change is None or not isinstance(change.value, str) or not change.value:
            continue
        if mutation.op is MutationOp.UPDATE and same(change.value, change.base):
            continue
        needed.append(EntityRef(kind, change.value))
    return tuple(needed)


def merge_mutation(
    current: EntityState | None,
    mutation: Mutation,
    *,
    seq: int,
    missing: Collection[EntityRef] = (),
    today: date = date.max,
) -> MergeResult:
    """Merge ``mutation`` into ``current``, the state of ``target_of(mutation)`` (``None``
    when the server does not have it). ``seq``: the server sequence number this change gets.
    ``missing``: the records of ``requirements(mutation)`` the server does not have.
    ``today``: the date for "not in the future" checks (default: none)."""
    target = target_of(mutation)
    if current is not None and (current.kind, current.entity_id) != tuple(target):
        raise ValueError(f"the state of {current.kind}/{current.entity_id} is not the target {target}")
    policy = policy_for(mutation.entity)
    if mutation.op not in _ALLOWED_OPS[policy.storage]:
        return _rejected(current, _message("sync.bad_op", mutation.entity, op=mutation.op.value))
    if policy.storage is Storage.FIELDS:
        return _merge_fields(policy, current, mutation, seq, missing, today)
    if policy.storage is Storage.APPEND:
        return _merge_append(policy, current, mutation, seq, missing, today)
    return _merge_event(current, mutation, seq, today)


def problem_status(state: EntityState) -> ProblemStatus:
    """The folded status of a problem: its events in (hlc, event id) order through
    ``fold_problem``, with the role checks and the refusals it makes."""
    problem = parse_record(Problem, state.values(), today=date.max)
    events = [ProblemEvent.model_validate(event.content) for event in state.events]
    return fold_problem(problem, events)


# -- households, members, problems -----------------------------------------------------------


def _merge_fields(
    policy: KindPolicy,
    current: EntityState | None,
    mutation: Mutation,
    seq: int,
    missing: Collection[EntityRef],
    today: date,
) -> MergeResult:
    if current is not None and mutation.key in current.applied:
        return _duplicate(current)
    given_id = mutation.fields.get(ID_FIELD)
    if given_id is not None and given_id.value != mutation.entity_id:
        return _rejected(
            current, Message("sync.id_mismatch", {"id": mutation.entity_id, "value": given_id.value})
        )
    if (mutation.checkpoint or 0) >= seq:
        # It claims to have seen server changes that do not exist yet (a server restored from
        # a backup, a device that synced with another server): who saw what cannot be decided.
        return _rejected(
            current, Message("sync.future_checkpoint", {"checkpoint": mutation.checkpoint, "seq": seq})
        )
    creating = mutation.op is MutationOp.CREATE
    if current is None and not creating:
        return _deferred(None, _message("sync.missing_entity", mutation.entity, id=mutation.entity_id))
    if missing:
        return _deferred(current, _missing_parent(missing))
    try:
        leaves = _leaves(policy, mutation, creating)
    except LeafError as exc:
        return _rejected(current, Message("sync.bad_value", {"field": exc.field}))

    before = current or EntityState(mutation.entity, mutation.entity_id)
    stamp = Write(
        None, None, mutation.device_id, mutation.device_seq, seq, mutation.checkpoint or 0, mutation.hlc
    )
    registers = dict(before.registers)
    effects: dict[Any, str] = {}
    for leaf in leaves:
        heads, effects[leaf.path] = add_write(
            registers.get(leaf.path, ()), replace(stamp, value=leaf.value, base=leaf.base)
        )
        registers[leaf.path] = heads
    changed = current is None or any(effect in ("sole", "concurrent") for effect in effects.values())
    after = replace(
        before,
        registers=registers,
        applied=before.applied | {mutation.key},
        seq=seq if changed else before.seq,
    )
    if changed:
        try:
            parse_record(policy.model, after.values(), today=today)
        except ValidationError as exc:
            return _rejected(current, _validation_reason(exc))

    conflicts = conflicts_of(after)
    still = {conflict.id for conflict in conflicts}
    if any(conflict.queued and conflict.involves(mutation.key) for conflict in conflicts):
        outcome = Outcome.CONFLICT
    elif current is None or _saw_everything(stamp, before):
        outcome = Outcome.APPLIED
    else:
        outcome = Outcome.MERGED
    return MergeResult(
        outcome=outcome,
        state=after,
        conflicts=conflicts,
        changed=changed,
        closed=tuple(conflict for conflict in conflicts_of(current) if conflict.id not in still),
        superseded=tuple(
            format_path(policy, path) for path, effect in effects.items() if effect == "superseded"
        ),
        status=problem_status(after) if mutation.entity is EntityKind.PROBLEM else None,
    )


def _leaves(policy: KindPolicy, mutation: Mutation, creating: bool) -> list[LeafChange]:
    if mutation.op is MutationOp.DELETE:
        return [LeafChange((TOMBSTONE,), True, False)]
    return leaf_changes(policy, mutation.fields, create=creating)


def _saw_everything(stamp: Write, state: EntityState) -> bool:
    return all(stamp.saw(head) for heads in state.registers.values() for head in heads)


# -- visits --------------------------------------------------------------------------------


def _merge_append(
    policy: KindPolicy,
    current: EntityState | None,
    mutation: Mutation,
    seq: int,
    missing: Collection[EntityRef],
    today: date,
) -> MergeResult:
    content = _content(policy, mutation, today)
    if isinstance(content, Message):
        return _rejected(current, content)
    if current is not None:
        if mutation.key in current.applied or same(current.content, content):
            return _duplicate(current)
        return _rejected(current, Message("sync.visit_conflict", {"id": mutation.entity_id}))
    if missing:
        return _deferred(None, _missing_parent(missing))
    state = EntityState(
        mutation.entity, mutation.entity_id, applied=frozenset({mutation.key}), seq=seq, content=content
    )
    return MergeResult(Outcome.APPLIED, state, changed=True)


# -- problem events ------------------------------------------------------------------------


def _merge_event(current: EntityState | None, mutation: Mutation, seq: int, today: date) -> MergeResult:
    content = _content(policy_for(EntityKind.PROBLEM_EVENT), mutation, today)
    if isinstance(content, Message):
        return _rejected(current, content)
    if current is None:
        return _deferred(None, _message("sync.missing_entity", EntityKind.PROBLEM, id=content["problem_id"]))
    if mutation.key in current.applied:
        return _duplicate(current, status=problem_status(current))
    existing = next((event for event in current.events if event.event_id == mutation.entity_id), None)
    if existing is not None:
        if same(existing.content, content):
            return _duplicate(current, status=problem_status(current))
        return _rejected(current, Message("sync.event_conflict", {"id": mutation.entity_id}))
    logged = LoggedEvent(
        mutation.entity_id, content, mutation.hlc, mutation.device_id, mutation.device_seq, seq
    )
    after = replace(
        current,
        events=tuple(sorted((*current.events, logged), key=lambda event: event.order)),
        applied=current.applied | {mutation.key},
        seq=seq,
    )
    status = problem_status(after)
    refusal = next(
        (rejected.reason for rejected in status.rejected if rejected.event.id == mutation.entity_id), None
    )
    return MergeResult(
        Outcome.APPLIED, after, conflicts=conflicts_of(after), reason=refusal, changed=True, status=status
    )


def _content(policy: KindPolicy, mutation: Mutation, today: date) -> dict[str, Any] | Message:
    """An appended record's JSON values, validated and normalised, or why not."""
    values = {name: change.value for name, change in mutation.fields.items()}
    if values.setdefault(ID_FIELD, mutation.entity_id) != mutation.entity_id:
        return Message("sync.id_mismatch", {"id": mutation.entity_id, "value": values[ID_FIELD]})
    try:
        return parse_record(policy.model, values, today=today).model_dump(mode="json")
    except ValidationError as exc:
        return _validation_reason(exc)


# -- results ---------------------------------------------------------------------------------


def _duplicate(state: EntityState, *, status: ProblemStatus | None = None) -> MergeResult:
    return MergeResult(Outcome.APPLIED, state, conflicts=conflicts_of(state), duplicate=True, status=status)


def _rejected(state: EntityState | None, reason: Message) -> MergeResult:
    return MergeResult(Outcome.REJECTED, state, conflicts=conflicts_of(state), reason=reason)


def _deferred(state: EntityState | None, reason: Message) -> MergeResult:
    return MergeResult(Outcome.DEFERRED, state, conflicts=conflicts_of(state), reason=reason)


def _message(code: str, kind: EntityKind, **params: Any) -> Message:
    zh, en = KIND_LABELS[kind]
    return Message(code, {"kind": zh, "kind_en": en, **params})


def _missing_parent(missing: Collection[EntityRef]) -> Message:
    first = sorted(missing)[0]
    return _message("sync.missing_parent", first.kind, id=first.id)


def _validation_reason(exc: ValidationError) -> Message:
    return Message(exc.code, {**exc.params, "errors": exc.details.get("errors", [])})


def conflicts_closed(before: EntityState | None, after: EntityState | None) -> tuple[Conflict, ...]:
    """Conflicts ``before`` held that ``after`` no longer holds."""
    still = {conflict.id for conflict in conflicts_of(after)}
    return tuple(conflict for conflict in conflicts_of(before) if conflict.id not in still)


__all__ = [
    "KIND_LABELS",
    "EntityRef",
    "conflicts_closed",
    "merge_mutation",
    "problem_status",
    "requirements",
    "target_of",
]
