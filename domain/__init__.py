"""The domain: directory, initiatives and their rules; stdlib and eventsourcing only."""
