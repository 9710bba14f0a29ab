"""Small helpers shared by the sync tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from field_app.core.models import Visit, parse_record
from field_app.core.models.visit import PhotoRef
from field_app.core.sync.mutation import EntityKind
from field_app.store.store import EncryptedStore

from .conftest import TODAY

SCOPED_KINDS = (EntityKind.HOUSEHOLD, EntityKind.MEMBER, EntityKind.VISIT, EntityKind.PROBLEM, EntityKind.PROBLEM_EVENT)


def view(store: EncryptedStore, kind: EntityKind) -> dict[str, dict[str, Any]]:
    """The device's local view of ``kind``: JSON by id."""
    return {entry.record.id: entry.record.model_dump(mode="json") for entry in store.list(kind)}


def new_visit(household: dict[str, Any], visitor_id: str, *, photos: tuple[str, ...] = (), minute: int = 0) -> Visit:
    started = datetime(2026, 5, 19, 8, minute, tzinfo=UTC)
    return parse_record(
        Visit,
        {
            "household_id": household["id"],
            "village_code": household["village_code"],
            "form_id": "household_visit",
            "form_version": 1,
            "visitor_id": visitor_id,
            "visitor_role": "field_worker",
            "started_at": started.isoformat(),
            "ended_at": started.replace(minute=minute + 30 if minute < 29 else 59).isoformat(),
            "answers": {"food_secure": True, "note": "家中老人身体尚可"},
            "photos": [PhotoRef(sha256=sha).model_dump(mode="json") for sha in photos],
        },
        today=TODAY,
    )


def not_a_head(store: EncryptedStore) -> str:
    """A member who is not the head of their household (the last one, by id)."""
    return sorted(member_id for member_id, member in view(store, EntityKind.MEMBER).items() if member["relation"] != "head")[-1]
