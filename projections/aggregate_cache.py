"""The aggregates a worker advances event by event: the recently seen ones kept, any other
replayed from the store."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate


class AggregateCache:
    """Recently seen aggregates, mutated event by event; misses replay from the store."""

    def __init__(self, app: Application[UUID], size: int = 20_000) -> None:
        self.app = app
        self.size = size
        self._items: OrderedDict[UUID, Aggregate] = OrderedDict()

    def advance(
        self,
        event: Aggregate.Event,
        before: Callable[[Aggregate | None], None] | None = None,
    ) -> Aggregate | None:
        """The aggregate after `event` (`before` sees it before, None for the first event)."""
        key = event.originator_id
        aggregate = self._items.pop(key, None)
        if aggregate is None or aggregate.version != event.originator_version - 1:
            aggregate = None
            if event.originator_version > 1:
                aggregate = self.app.repository.get(key, version=event.originator_version - 1)
        if before is not None:
            before(aggregate)
        mutated: Aggregate | None = event.mutate(aggregate)
        if mutated is not None:
            self._items[key] = mutated
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return mutated

    def clear(self) -> None:
        """Forget everything (after a failed batch the cache may be ahead of the views)."""
        self._items.clear()
