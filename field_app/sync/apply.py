"""Put one pull page into the device's store.

* A record's current state becomes the new base (``load_server_records``): the store puts the
  record's still-pending local changes back on top of it.
* A record the server deleted, or that left this user's villages (``gone``), leaves the local
  view: it becomes a tombstone (the server's last state kept as base when sent), so lists,
  look-ups and search no longer show it. If local changes to it are still pending, the view
  stays as the store computes it (the server will judge those changes: a delete racing an edit
  is a conflict there, and the record comes back in a later pull).
* ``disputed`` leaves are kept per record in the setting ``sync.disputed`` for the app to mark.
* A record the device cannot read (a newer server's model) is skipped with a notice rather
  than blocking every later sync; its next change brings it again.

A deletion (or a record that left the user's scope) becomes a tombstone through
``EncryptedStore.drop_server_record``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from field_app.core.i18n import Message
from field_app.core.models import Record
from field_app.core.sync.mutation import EntityKind
from field_app.store.kinds import KindSpec, spec_for
from field_app.store.store import EncryptedStore
from field_app.sync.api import Change

DISPUTED_SETTING = "sync.disputed"
# Pulled records were judged by the server: do not judge them again against the tablet's date
# (a tablet whose clock is behind would call yesterday's visit "in the future").
_PULL_CONTEXT = {"today": date.max}


@dataclass
class AppliedPage:
    loaded: int = 0
    removed: int = 0
    notices: list[Message] = field(default_factory=list)


def apply_changes(store: EncryptedStore, changes: Iterable[Change]) -> AppliedPage:
    """Store the changes; call inside ``store.batch()`` so the page and the checkpoint that
    follows it commit together."""
    applied = AppliedPage()
    current: dict[tuple[EntityKind, str], tuple[Record, int]] = {}
    removals: dict[tuple[EntityKind, str], tuple[KindSpec, Record | None, int]] = {}
    disputed: dict[str, Any] = {}
    for change in changes:
        try:
            spec = spec_for(change.kind)
        except ValueError:
            continue  # a kind this app does not keep (a newer server): nothing to show
        key = (spec.kind, change.id)
        record = _parse(spec, change, applied)
        if change.record is not None and record is None:
            continue
        # A page has one change per record, but keep the last if a server repeats one.
        current.pop(key, None)
        removals.pop(key, None)
        if change.deleted or change.gone:
            removals[key] = (spec, record, change.seq)
        elif record is not None:
            current[key] = (record, change.seq)
        disputed[f"{spec.kind.value}/{change.id}"] = dict(change.disputed) if change.disputed and not change.gone else None
    if current:
        store.load_server_records(current.values())
        applied.loaded = len(current)
    for (_, record_id), (spec, record, version) in removals.items():
        store.drop_server_record(spec.kind, record_id, record, version)
    applied.removed = len(removals)
    _remember_disputes(store, disputed)
    return applied


def _parse(spec: KindSpec, change: Change, applied: AppliedPage) -> Record | None:
    if change.record is None:
        return None
    try:
        record = spec.model.model_validate(change.record, context=_PULL_CONTEXT)
    except (PydanticValidationError, ValueError):
        record = None
    if record is None or getattr(record, "id", None) != change.id:
        applied.notices.append(
            Message("sync.client.record_unreadable", {"kind": spec.label[0], "kind_en": spec.label[1], "id": change.id})
        )
        return None
    return record


def _remember_disputes(store: EncryptedStore, disputed: dict[str, Any]) -> None:
    if not disputed:
        return
    known: dict[str, Any] = dict(store.setting(DISPUTED_SETTING, {}) or {})
    for name, leaves in disputed.items():
        if leaves:
            known[name] = leaves
        else:
            known.pop(name, None)
    store.set_setting(DISPUTED_SETTING, known)


__all__ = ["DISPUTED_SETTING", "AppliedPage", "apply_changes"]
