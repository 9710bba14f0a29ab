"""The push service: a device's batch of mutations, merged one by one in one transaction.

The wire carries the batch as raw objects and each is validated here on its own, so one
malformed mutation is refused by itself (naming its field) while the rest go on; the batch
as a whole is refused only when it is not the device's (another ``device_id``: 403) or too
big. Each mutation runs in its own savepoint inside the batch's transaction: whatever goes
wrong with one rolls back that one only.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlite_utils import Database

from field_app.core.errors import BianfangError
from field_app.core.i18n import Message, render
from field_app.core.policy import PolicyConfig
from field_app.core.sync.mutation import Mutation
from field_app.core.sync.outcome import Outcome
from sync_server.auth.principal import Principal
from sync_server.db import SQL_INT_MAX, write_transaction
from sync_server.errors import AuthError, field_entry
from sync_server.registry import last_seq
from sync_server.sync import log
from sync_server.sync.ingest import Ingest, MutationResult, Submitter, result_of
from sync_server.sync.reanchor import DeviceClock

logger = logging.getLogger("sync_server.sync")


@dataclass(frozen=True)
class PushReport:
    results: list[MutationResult]
    checkpoint: int  # the server's last change seq after the batch
    server_hlc: str


def push(
    db: Database,
    principal: Principal,
    items: Sequence[Any],
    *,
    now: datetime,
    today: date,
    policy: PolicyConfig,
    max_mutations: int,
    tolerance_ms: int,
    device_clock: DeviceClock | None = None,
) -> PushReport:
    device_id = principal.device_id
    if device_id is None:
        raise AuthError("sync.device_required")
    if len(items) > max_mutations:
        raise BianfangError("sync.batch_too_large", limit=max_mutations, count=len(items))
    for item in items:
        claimed = item.get("device_id") if isinstance(item, dict) else None
        if isinstance(claimed, str) and claimed != device_id:
            raise AuthError("sync.device_mismatch", claimed=claimed, device=device_id)

    submitter = Submitter(principal.user.id, principal.role, principal.scope, device_id)
    ingest = Ingest(db, now=now, today=today, policy=policy, tolerance_ms=tolerance_ms, device_clock=device_clock)
    results: list[MutationResult] = []
    with write_transaction(db):
        for index, item in enumerate(items):
            parsed = parse_item(index, item)
            if isinstance(parsed, MutationResult):
                results.append(parsed)
                continue
            results.append(_submit(db, ingest, parsed, submitter))
        server_hlc = ingest.finish()
        # A mutation deferred early in the batch may have been replayed later in it: answer
        # what holds at the end (the device then need not send it again).
        results = [_final(db, result) for result in results]
        checkpoint = last_seq(db)
    return PushReport(results=results, checkpoint=checkpoint, server_hlc=str(server_hlc))


def _submit(db: Database, ingest: Ingest, mutation: Mutation, submitter: Submitter) -> MutationResult:
    try:
        with db.atomic():
            return ingest.submit(mutation, submitter)
    except sqlite3.Error:
        raise  # the database itself failed: the whole push fails and the device sends it again
    except Exception:
        logger.exception("merging %s/%s failed", mutation.device_id, mutation.device_seq)
        return MutationResult(mutation.device_seq, mutation.entity.value, mutation.entity_id, Outcome.REJECTED,
                              reason=Message("sync.not_processed"))


def _final(db: Database, result: MutationResult) -> MutationResult:
    if result.log_seq is None:
        return result
    settled = result_of(log.get(db, result.log_seq))
    return replace(settled, duplicate=result.duplicate or settled.duplicate)


_SQL_INTS = ("device_seq", "checkpoint", "wall_time", "monotonic_ns")


def parse_item(index: int, item: Any) -> Mutation | MutationResult:
    """One mutation of the batch, or its refusal naming the first faulty field."""
    try:
        mutation = Mutation.model_validate(item)
    except PydanticValidationError as exc:
        return _malformed(index, item, [field_entry(error, skip=0) for error in exc.errors()])
    for name in _SQL_INTS:  # the model leaves them unbounded; SQLite does not
        value = getattr(mutation, name)
        if value is not None and abs(value) > SQL_INT_MAX:
            params = {"field": name, "field_en": name, "minimum": -SQL_INT_MAX, "maximum": SQL_INT_MAX}
            entry = {"field": name, "message": render("validation.out_of_range", params, "zh"),
                     "message_en": render("validation.out_of_range", params, "en")}
            return _malformed(index, item, [entry])
    return mutation


def _malformed(index: int, item: Any, entries: list[dict[str, str]]) -> MutationResult:
    first = entries[0]
    reason = Message("sync.malformed", {
        "index": index, "field": first["field"], "reason": first["message"], "reason_en": first["message_en"],
        "errors": [{"field": entry["field"], "message": entry["message_en"]} for entry in entries],
    })
    fields = item if isinstance(item, dict) else {}
    return MutationResult(
        device_seq=_plain_int(fields.get("device_seq")),
        entity=_plain_str(fields.get("entity")),
        entity_id=_plain_str(fields.get("entity_id")),
        outcome=Outcome.REJECTED,
        reason=reason,
    )


def _plain_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _plain_str(value: Any) -> str | None:
    return value[:100] if isinstance(value, str) else None


__all__ = ["PushReport", "parse_item", "push"]
