"""Shared pure core: models, validation, forms, policy rules. Imports no UI and no server framework."""
