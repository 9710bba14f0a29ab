"""Transitional alias: the code lists live in :mod:`field_app.core.codes`."""

from field_app.core.codes import *  # noqa: F403
from field_app.core.codes import __all__  # noqa: F401
