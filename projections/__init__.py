"""Read models, the worker and all SQL: everything derived from the event log."""
