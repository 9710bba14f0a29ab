"""Getting the database ready to serve: migrations, then the forms' publication.

Kept apart from ``app.py`` so the command line prepares a database without importing the
web framework (it starts faster; only ``serve`` needs FastAPI).
"""

from __future__ import annotations

from sync_server.db import open_database
from sync_server.forms_publish import FormShelf, load_shelf, record_publication
from sync_server.migrations import migrate
from sync_server.settings import Settings


def prepare_database(settings: Settings, forms: FormShelf | None = None) -> FormShelf:
    """Migrate the database and publish the forms (``forms``, or the forms folder read now);
    returns the forms to serve. Refuses a newer or foreign database and a changed form."""
    shelf = forms if forms is not None else load_shelf(settings.forms_folder)
    db = open_database(settings.database_path)
    try:
        migrate(db.conn)
        record_publication(db, shelf, now=settings.now())
    finally:
        db.close()
    return shelf


__all__ = ["prepare_database"]
