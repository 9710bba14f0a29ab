"""Visits (走访记录): append-only. A correction is a new visit that names the one it amends."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, Field, ValidationInfo, field_validator, model_validator

from field_app.core.codes import Role, VisitPurpose
from field_app.core.models.base import Record, Text, new_id, today_from
from field_app.core.models.geo import GeoPoint
from field_app.core.models.places import VillageCode
from field_app.core.validation import require_not_future

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class PhotoRef(Record):
    """A photo is a content-addressed blob stored apart; the visit keeps its hash."""

    sha256: Sha256
    taken_at: AwareDatetime | None = None
    caption: Text | None = None
    location: GeoPoint | None = None


class Visit(Record):
    id: str = Field(default_factory=new_id)
    household_id: str
    village_code: VillageCode
    form_id: str
    form_version: Annotated[int, Field(ge=1)]
    visitor_id: str
    visitor_role: Role
    purpose: VisitPurpose = VisitPurpose.ROUTINE
    # Moments carry their offset (devices record China Standard Time, servers UTC):
    # a naive time cannot be compared with an aware one, so it is refused at the door.
    started_at: AwareDatetime
    ended_at: AwareDatetime
    # True when the device clock was wrong and the times were re-anchored at sync.
    time_estimated: bool = False
    location: GeoPoint | None = None
    met_member_ids: list[str] = []
    answers: dict[str, Any] = {}
    photos: list[PhotoRef] = []
    amends: str | None = None  # id of the visit this one corrects
    device_id: str | None = None

    @field_validator("started_at", "ended_at")
    @classmethod
    def _not_future(cls, value: datetime, info: ValidationInfo) -> datetime:
        return require_not_future(value, today=today_from(info), field=info.field_name or "started_at")

    @model_validator(mode="after")
    def _ends_after_start(self) -> Visit:
        if self.ended_at < self.started_at:
            raise ValueError("走访结束时间早于开始时间 (visit ends before it starts)")
        return self

    @property
    def duration_minutes(self) -> float:
        return (self.ended_at - self.started_at).total_seconds() / 60


__all__ = ["PhotoRef", "Visit"]
