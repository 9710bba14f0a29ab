"""The tablet app (Flet 1.0, declarative): state objects in ``state/``, one screen per module in
``screens/``, the root and routes in ``shell.py``, the entry in ``main.py``.

Views hold no SQL and no HTTP: they read ``@ft.observable`` state and call its methods; the
state talks to the store through :class:`field_app.app.device.Device`.
"""
