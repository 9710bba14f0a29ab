raise SystemExit("demo not yet")
