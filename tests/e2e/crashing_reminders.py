"""A sender of reminders that dies at once (os._exit: nothing cleaned up, nothing committed
after) at one point of its first sending, for the crash tests.

Usage: python crashing_reminders.py DAY POINT   (the settings from the environment)
POINT: `claim` (the intent recorded, nothing handed to the SMTP server yet) or `accepted`
(the server took the message; it is not yet marked sent).
"""

from __future__ import annotations

import os
import sys
from datetime import date

from projections.db import Database
from web.config import Settings
from web.reminders import Reminders

CRASHED = 70


def main() -> None:
    day, point = date.fromisoformat(sys.argv[1]), sys.argv[2]
    settings = Settings.load()
    reminders = Reminders(settings, Database(settings.storage))
    setattr(reminders, f"after_{point}", lambda: os._exit(CRASHED))
    reminders.send(day)


if __name__ == "__main__":
    main()
