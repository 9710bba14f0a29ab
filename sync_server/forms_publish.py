"""Publishing form definitions: every version in the forms folder, as the files themselves.

The server serves the original YAML/JSON text, not a compiled form: the tablet compiles it
with the same core (``read_form_text``), and the text's SHA-256 is a stable identity the
device can check after download and compare at the next sync (like ODK Central's form hash).

A published version must never change: tablets cache it and visits name it. So every
``(form id, version, sha256)`` served is recorded in ``published_forms``; if a file later
holds different content under a published version, the server refuses to start
(``server.form_version_changed``) instead of serving two forms under one number. A version
whose file is removed stays in the table (its visits still name it) but is no longer listed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from field_app.core.errors import BianfangError, FormDefinitionError
from field_app.core.forms import FormCatalog, read_form_text
from field_app.core.forms.loader import FORM_SUFFIXES
from sync_server import audit
from sync_server.clock import iso
from sync_server.db import write_transaction

MEDIA_TYPES = {".json": "application/json", ".yaml": "application/yaml", ".yml": "application/yaml"}


@dataclass(frozen=True)
class PublishedForm:
    id: str
    version: int
    title_zh: str
    title_en: str
    sha256: str
    file_name: str
    media_type: str
    text: str

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


class FormShelf:
    """The forms a server publishes, by ``(id, version)``, in id and version order."""

    def __init__(self, forms: list[PublishedForm]) -> None:
        self._forms = {(form.id, form.version): form for form in sorted(forms, key=lambda f: (f.id, f.version))}

    def __iter__(self) -> Iterator[PublishedForm]:
        return iter(self._forms.values())

    def __len__(self) -> int:
        return len(self._forms)

    def get(self, form_id: str, version: int) -> PublishedForm:
        form = self._forms.get((form_id, version))
        if form is None:
            raise FormDefinitionError("form.not_found", form=form_id, version=version)
        return form


def load_shelf(folder: Path) -> FormShelf:
    """Read and compile every form file of ``folder``; a broken file or a duplicate
    ``(id, version)`` fails the load (the server does not start with a bad form)."""
    catalog = FormCatalog()  # compiled forms: catches duplicate versions across files
    published: list[PublishedForm] = []
    for file in sorted(folder.iterdir()):
        if file.suffix not in FORM_SUFFIXES or not file.is_file():
            continue
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise FormDefinitionError("form.unreadable", path=file.name, reason="not UTF-8 text") from None
        form = read_form_text(text, source=file.name, json_text=file.suffix == ".json")
        catalog.add(form)
        published.append(
            PublishedForm(
                id=form.id,
                version=form.version,
                title_zh=form.title.zh,
                title_en=form.title.en,
                sha256=hashlib.sha256(raw).hexdigest(),
                file_name=file.name,
                media_type=MEDIA_TYPES[file.suffix],
                text=text,
            )
        )
    return FormShelf(published)


def record_publication(db: Database, shelf: FormShelf, *, now: datetime) -> list[PublishedForm]:
    """Record the shelf's forms as published; returns those published for the first time.
    Refuses a published version whose content changed."""
    first_time: list[PublishedForm] = []
    with write_transaction(db):
        for form in shelf:
            row = db.conn.execute(
                "SELECT sha256 FROM published_forms WHERE form_id = ? AND version = ?", (form.id, form.version)
            ).fetchone()
            if row is not None:
                if row[0] != form.sha256:
                    raise BianfangError("server.form_version_changed", form=form.id, version=form.version,
                                        details={"published": row[0], "found": form.sha256})
                continue
            db.conn.execute(
                """INSERT INTO published_forms (form_id, version, sha256, file_name, first_published_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (form.id, form.version, form.sha256, form.file_name, iso(now)),
            )
            audit.record(db, at=now, actor=audit.SYSTEM, action="form.publish", entity="form",
                         entity_id=f"{form.id}@{form.version}", after={"sha256": form.sha256, "file": form.file_name})
            first_time.append(form)
    return first_time


__all__ = ["FormShelf", "PublishedForm", "load_shelf", "record_publication"]
