"""Bianfang field app (Flet client). The pure shared core is in ``field_app.core``."""
