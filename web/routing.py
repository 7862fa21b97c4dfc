"""URL rules whose builders are compiled once per process.

Werkzeug compiles two URL-building functions for every rule of every app (an AST made into
code: about two thirds of building this app, ~105 rules). The code depends only on the rule's
text, its parts and its defaults, never on the Rule object (it is bound to the rule it builds
for), so a process that builds the app more than once (the tests build one per test; the CLI
builds one per command) reuses it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

from werkzeug.routing import Rule


class ReusedBuilders(Rule):
    """A Rule whose URL builders come from a per-process cache keyed by what they are made of."""

    _builders: ClassVar[dict[Hashable, Callable[..., tuple[str, str]]]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        key = (
            self.rule,
            self.subdomain,
            self.host,
            self.merge_slashes,
            append_unknown,
            tuple(self._trace),
            tuple(sorted((name, repr(value)) for name, value in (self.defaults or {}).items())),
        )
        with self._lock:
            found = self._builders.get(key)
            if found is None:
                found = self._builders[key] = super()._compile_builder(append_unknown)
        return found


def install(app: Any) -> None:
    """Make `app`'s rules (its blueprints' included) ReusedBuilders."""
    app.url_rule_class = ReusedBuilders
