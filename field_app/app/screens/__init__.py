"""One screen per module: each a ``@ft.component`` returning an ``ft.View``."""
