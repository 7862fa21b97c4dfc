"""The tamper-evident ledger. `merkle`, `leaf`, `note` and `verify` need only the standard
library and `cryptography`: they run on an inspector's machine without the service."""
