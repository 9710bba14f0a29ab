"""Bianfang sync server and supervisor console."""
