"""The field app's encrypted offline store: keys, records, drafts, photos, outbox."""
