"""What a sync did, as plain data for the app to show: per-change results with their Chinese
and English reasons, counts, bytes, time, and whether it was cut short.

Everything here is JSON-friendly (:meth:`SyncReport.to_json` / :meth:`SyncReport.from_json`):
the client keeps the last report and the per-change results in the store's settings, so the
app can list them after a restart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from field_app.core.i18n import DEFAULT_LANG, MESSAGES, Lang, Message, render

OUTCOMES = ("applied", "merged", "conflict", "rejected", "deferred")
# Outcomes a worker should look at: the change did not simply take effect.
NEEDS_ATTENTION = frozenset({"conflict", "rejected", "deferred"})


@dataclass(frozen=True)
class Notice:
    """Something the sync met that did not stop it (a photo to send again, a skipped record)."""

    code: str
    zh: str
    en: str

    @classmethod
    def of(cls, message: Message) -> Notice:
        return cls(message.code, message.text("zh"), message.text("en"))

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class ItemResult:
    """The server's answer for one mutation the tablet sent."""

    device_seq: int
    entity: str
    entity_id: str
    outcome: str  # applied | merged | conflict | rejected | deferred
    duplicate: bool = False  # the server had it already (a re-send after a lost answer)
    reason_code: str | None = None
    reason_zh: str | None = None
    reason_en: str | None = None
    conflict_ids: tuple[str, ...] = ()

    @property
    def needs_attention(self) -> bool:
        return self.outcome in NEEDS_ATTENTION

    def outcome_text(self, lang: Lang = DEFAULT_LANG) -> str:
        code = f"sync.client.outcome.{self.outcome}"
        return render(code, {}, lang) if code in MESSAGES else self.outcome

    def reason(self, lang: Lang = DEFAULT_LANG) -> str | None:
        return (self.reason_en or self.reason_zh) if lang == "en" else (self.reason_zh or self.reason_en)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["conflict_ids"] = list(self.conflict_ids)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ItemResult:
        return cls(**{**data, "conflict_ids": tuple(data.get("conflict_ids") or ())})


@dataclass
class SyncReport:
    started_ms: int  # device wall clock (untrusted; for display)
    finished_ms: int | None = None
    duration_s: float = 0.0  # by the monotonic clock
    interrupted: bool = False
    error_code: str | None = None
    error_zh: str | None = None
    error_en: str | None = None
    results: list[ItemResult] = field(default_factory=list)
    pulled: int = 0  # records stored from the server
    removed: int = 0  # records the server deleted or took out of this user's scope
    photos_uploaded: int = 0  # photos the server now holds whole (sent now, or found there)
    photo_bytes: int = 0  # photo bytes sent (resumed uploads count only what was sent)
    forms_downloaded: list[tuple[str, int]] = field(default_factory=list)
    bytes_sent: int = 0
    bytes_received: int = 0
    checkpoint: int | None = None  # the device's checkpoint after the sync
    # The checkpoint could not move because new local changes appeared during the sync.
    checkpoint_held: bool = False
    notices: list[Notice] = field(default_factory=list)
    last_success_ms: int | None = None  # the last sync that completed (this one, if it did)

    @property
    def pushed(self) -> int:
        return len(self.results)

    @property
    def counts(self) -> dict[str, int]:
        """How many changes got each outcome (every outcome present, zero included)."""
        counted = Counter(result.outcome for result in self.results)
        return {outcome: counted.get(outcome, 0) for outcome in (*OUTCOMES, *sorted(counted.keys() - set(OUTCOMES)))}

    @property
    def needing_attention(self) -> list[ItemResult]:
        return [result for result in self.results if result.needs_attention]

    def summary(self, lang: Lang = DEFAULT_LANG) -> str:
        counts = self.counts
        params = {"pushed": self.pushed, "pulled": self.pulled, "photos": self.photos_uploaded,
                  "forms": len(self.forms_downloaded)}
        if self.interrupted:
            text = render("sync.client.summary_interrupted", params, lang)
        else:
            text = render("sync.client.summary", params, lang)
        if self.needing_attention:
            attention = {"conflicts": counts["conflict"], "rejected": counts["rejected"], "deferred": counts["deferred"]}
            text += ("; " if lang == "en" else "；") + render("sync.client.summary_attention", attention, lang)
        return text

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["results"] = [result.to_json() for result in self.results]
        data["forms_downloaded"] = [list(key) for key in self.forms_downloaded]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SyncReport:
        values = dict(data)
        values["results"] = [ItemResult.from_json(item) for item in values.get("results", ())]
        values["forms_downloaded"] = [tuple(key) for key in values.get("forms_downloaded", ())]
        values["notices"] = [Notice(**notice) for notice in values.get("notices", ())]
        return cls(**values)


__all__ = ["NEEDS_ATTENTION", "OUTCOMES", "ItemResult", "Notice", "SyncReport"]
