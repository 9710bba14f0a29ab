"""Merging mutations into the registry, one at a time, with everything around the pure merge.

:class:`Ingest` lives for one write transaction (a push, a resolution). For each mutation
(``submit``) it does, in the caller's savepoint:

1. idempotency — the mutation log by ``(device_id, device_seq)``: the same content again is
   answered from the log (``duplicate``); other content under a used key is refused, loudly
   (audited: a cloned or restored tablet);
2. visit times re-anchored when the device clock was wrong (``reanchor.py``); the log keeps
   the mutation as received;
3. one device's edits of one record in device order: behind an earlier deferred one, wait;
4. scope — every village the mutation touches (``villages.py``) must be the sender's;
   a problem event's actor must be the sender (the fold checks roles against it);
5. the pure merge (``field_app.core.sync.merge``) at the seq its change will get;
6. the result stored (``store.py``): the record and its merge state, a departure when it
   left a village, the conflict queue, photo references, the audit entry; a deferred
   mutation into the backlog;
7. the backlog woken: mutations waiting for a record that changed are merged again, each in
   its own savepoint, which may wake others (a household, then its members, then their edits).

``finish`` recomputes the derived statuses of the households touched, once each, and moves
the server's hybrid logical clock past everything merged.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlite_utils import Database

from field_app.core.codes import Role
from field_app.core.i18n import Message
from field_app.core.models import Scope
from field_app.core.policy import PolicyConfig
from field_app.core.sync.hlc import HlcTimestamp
from field_app.core.sync.merge import EntityRef, merge_mutation, requirements, target_of
from field_app.core.sync.mutation import EntityKind, Mutation, MutationOp
from field_app.core.sync.outcome import Outcome
from field_app.core.sync.state import EntityState
from sync_server import audit
from sync_server.registry import next_seq
from sync_server.sync import backlog, derived, log, meta, queue, states
from sync_server.sync.reanchor import DeviceClock, reanchor
from sync_server.sync.store import Unplaceable, store_merged
from sync_server.sync.villages import touched_villages
from sync_server.users import USER_COLUMNS, user_from_row

logger = logging.getLogger("sync_server.sync")

E = EntityKind.PROBLEM_EVENT


@dataclass(frozen=True)
class Submitter:
    """Who a mutation is merged for: the scope it must stay in, the identity it is audited under."""

    user_id: str | None
    role: Role | None
    scope: Scope
    device_id: str | None  # the acting device (for the audit): a tablet, or the server's own

    @property
    def actor(self) -> audit.Actor:
        return audit.Actor(user_id=self.user_id, device_id=self.device_id)


@dataclass(frozen=True)
class MutationResult:
    device_seq: int | None
    entity: str | None
    entity_id: str | None
    outcome: Outcome
    duplicate: bool = False
    reason: Message | None = None
    conflict_ids: tuple[int, ...] = ()
    log_seq: int | None = None  # None: not logged (malformed, reused key, not processed)


@dataclass
class Ingest:
    db: Database
    now: datetime
    today: date
    policy: PolicyConfig
    tolerance_ms: int = 5 * 60 * 1000
    device_clock: DeviceClock | None = None
    households: set[str] = field(default_factory=set)  # whose derived statuses to recompute
    _stamps: list[HlcTimestamp] = field(default_factory=list)
    _wake: deque[EntityRef] = field(default_factory=deque)

    # -- one mutation -------------------------------------------------------------------------

    def submit(self, mutation: Mutation, submitter: Submitter, *, settlement: queue.Settlement | None = None
               ) -> MutationResult:
        """Merge one received mutation (inside the caller's savepoint) and whatever it wakes."""
        text = log.canonical_json(mutation)
        digest = log.content_hash(text)
        known = log.find(self.db, mutation.device_id, mutation.device_seq)
        if known is not None:
            if known.content_hash == digest:
                return result_of(known, duplicate=True)
            return self._reused(mutation, submitter)
        effective = self._reanchored(mutation)
        log_seq = log.insert(self.db, mutation, text=text, digest=digest, user_id=submitter.user_id,
                             time_estimated=effective is not mutation, now=self.now)
        self._attempt(log_seq, effective, submitter, settlement or queue.Settlement(submitter.user_id))
        self.drain()
        return result_of(log.get(self.db, log_seq))

    def _reanchored(self, mutation: Mutation) -> Mutation:
        moved = reanchor(mutation, self.device_clock, server_ms=int(self.now.timestamp() * 1000),
                         tolerance_ms=self.tolerance_ms)
        return moved if moved is not None else mutation

    def _reused(self, mutation: Mutation, submitter: Submitter) -> MutationResult:
        reason = Message("sync.mutation_reused", {"device": mutation.device_id, "device_seq": mutation.device_seq})
        audit.record(self.db, at=self.now, actor=submitter.actor, action="sync.mutation_reused",
                     entity=mutation.entity.value, entity_id=mutation.entity_id,
                     after={"device_id": mutation.device_id, "device_seq": mutation.device_seq,
                            "received": log.canonical_json(mutation)})
        logger.warning("mutation key reused with other content: %s/%s", mutation.device_id, mutation.device_seq)
        return MutationResult(mutation.device_seq, mutation.entity.value, mutation.entity_id, Outcome.REJECTED,
                              reason=reason)

    def _attempt(self, log_seq: int, mutation: Mutation, submitter: Submitter, settlement: queue.Settlement) -> None:
        """Merge a logged mutation (new, or replayed from the backlog) and settle its log entry."""
        target = target_of(mutation)
        if backlog.waits_behind(self.db, mutation, target):
            self._defer(log_seq, mutation, submitter, target, Message("sync.waiting_behind"))
            return
        touched = touched_villages(self.db, mutation)
        outside = sorted(village for village in touched.villages if not submitter.scope.covers(village))
        if outside:
            audit.record(self.db, at=self.now, actor=submitter.actor, action="sync.out_of_scope",
                         entity=mutation.entity.value, entity_id=mutation.entity_id, village_code=outside[0],
                         after={"device_id": mutation.device_id, "device_seq": mutation.device_seq})
            self._refuse(log_seq, target, Message("auth.out_of_scope", {"village": outside[0]}))
            return
        refusal = _actor_refusal(mutation, submitter)
        if refusal is not None:
            self._refuse(log_seq, target, refusal)
            return
        current = states.load(self.db, target)
        missing = [need for need in requirements(mutation) if not states.exists(self.db, need)]
        seq = next_seq(self.db)
        result = merge_mutation(current, mutation, seq=seq, missing=missing, today=self.today)
        if result.outcome is Outcome.DEFERRED:
            self._defer(log_seq, mutation, submitter, _waits_for(mutation, current, missing), result.reason)
            return
        if result.outcome is Outcome.REJECTED:
            self._refuse(log_seq, target, result.reason)
            return
        conflict_ids: list[int] = []
        change_seq = None
        if result.changed:
            if not touched.complete:
                self._refuse(log_seq, target, Message("sync.no_village"))
                return
            try:
                with self.db.atomic():
                    stored = store_merged(self.db, target=target, result=result, mutation=mutation,
                                          actor=submitter.actor, settlement=settlement, seq=seq, now=self.now)
            except Unplaceable:
                self._refuse(log_seq, target, Message("sync.no_village"))
                return
            change_seq, conflict_ids = stored.seq, stored.conflict_ids
            self.households.update(stored.households)
        log.settle(self.db, log_seq, outcome=result.outcome, reason=result.reason, conflict_ids=conflict_ids,
                   change_seq=change_seq, duplicate=result.duplicate, now=self.now)
        self._stamps.append(mutation.timestamp)
        if backlog.remove(self.db, log_seq) or result.changed:
            self._wake.append(target)

    def _defer(self, log_seq: int, mutation: Mutation, submitter: Submitter, wait: EntityRef,
               reason: Message | None) -> None:
        backlog.put(self.db, log_seq, mutation, target=target_of(mutation), wait=wait, user_id=submitter.user_id,
                    now=self.now)
        log.settle(self.db, log_seq, outcome=Outcome.DEFERRED, reason=reason, now=self.now)

    def _refuse(self, log_seq: int, target: EntityRef, reason: Message | None) -> None:
        log.settle(self.db, log_seq, outcome=Outcome.REJECTED, reason=reason, now=self.now)
        if backlog.remove(self.db, log_seq):
            self._wake.append(target)  # whatever waited behind it may go now

    # -- the backlog ------------------------------------------------------------------------------

    def drain(self) -> None:
        """Merge again every deferred mutation a change has woken, until nothing more moves."""
        while self._wake:
            ref = self._wake.popleft()
            for waiting in backlog.woken_by(self.db, ref):
                if not backlog.still_waiting(self.db, waiting.log_seq):
                    continue  # settled meanwhile by an earlier replay in this loop
                submitter = submitter_of(self.db, waiting.user_id, waiting.mutation.device_id)
                try:
                    with self.db.atomic():
                        self._attempt(waiting.log_seq, waiting.mutation, submitter,
                                      queue.Settlement(waiting.user_id))
                except sqlite3.Error:
                    raise
                except Exception:  # a bug must not cost the batch: the mutation keeps waiting
                    logger.exception("replaying %s/%s failed", waiting.mutation.device_id,
                                     waiting.mutation.device_seq)

    # -- the end of the transaction -----------------------------------------------------------

    def finish(self) -> HlcTimestamp:
        """Recompute the derived statuses of the households touched; move the server clock."""
        try:
            with self.db.atomic():
                derived.recompute(self.db, self.households, config=self.policy, today=self.today, now=self.now)
        except sqlite3.Error:
            raise
        except Exception:  # the statuses are derived: recomputed at the next change, never worth a push
            logger.exception("recomputing derived statuses failed")
        self.households.clear()
        stamps, self._stamps = self._stamps, []
        return meta.observe(self.db, stamps, now=self.now)


def _waits_for(mutation: Mutation, current: EntityState | None, missing: list[EntityRef]) -> EntityRef:
    """What a deferred mutation waits for: its own record (an update or delete before the
    create; an event before its problem), else the first record it needs."""
    target = target_of(mutation)
    if current is None and (mutation.op in (MutationOp.UPDATE, MutationOp.DELETE) or mutation.entity is E):
        return target
    return sorted(missing)[0] if missing else target


def _actor_refusal(mutation: Mutation, submitter: Submitter) -> Message | None:
    """A problem event must be the sender's own: its role is what the fold checks."""
    if mutation.entity is not E or submitter.role is None:
        return None
    role = mutation.fields.get("actor_role")
    actor = mutation.fields.get("actor_id")
    if (role is None or role.value != submitter.role.value) or (actor is None or actor.value != submitter.user_id):
        return Message("sync.actor_mismatch", {"role": submitter.role.zh, "role_en": submitter.role.en})
    return None


def result_of(entry: log.LogEntry, *, duplicate: bool = False) -> MutationResult:
    return MutationResult(
        device_seq=entry.device_seq,
        entity=entry.entity,
        entity_id=entry.entity_id,
        outcome=Outcome(entry.outcome),
        duplicate=duplicate or entry.duplicate,
        reason=entry.reason,
        conflict_ids=entry.conflict_ids,
        log_seq=entry.log_seq,
    )


def submitter_of(db: Database, user_id: str | None, device_id: str | None) -> Submitter:
    """The sender of a waiting mutation as they are now (a user since moved or disabled no
    longer reaches the villages they left)."""
    row = None if user_id is None else db.conn.execute(
        f"SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?", (user_id,)
    ).fetchone()
    if row is None:
        return Submitter(user_id, None, Scope(), device_id)
    user = user_from_row(row)
    return Submitter(user.id, user.role, user.scope if user.active else Scope(), device_id)


__all__ = ["Ingest", "MutationResult", "Submitter", "result_of", "submitter_of"]
