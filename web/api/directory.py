"""Organisations and people of the directory (read-only; imports go through the CLI)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from flask.views import MethodView
from marshmallow import Schema

from domain.values import organisation_id, person_id
from projections import queries
from projections.db import Database
from web.api import Blueprint, read_point, service
from web.auth import authenticate
from web.schemas.answers import OrganisationSchema, PersonSchema
from web.schemas.queries import ConsistencySchema

blp = Blueprint("directory", __name__, url_prefix="/api/v1", description="The directory")
blp.before_request(authenticate)


def _routes(
    path: str,
    id_name: str,
    schema: type[Schema],
    listing: Callable[[Database, int | None], list[dict[str, Any]]],
    read: Callable[[UUID], Mapping[str, object]],
    key_id: Callable[[str], UUID],
    docs: tuple[tuple[str, str, str], ...],
) -> None:
    """GET `/<path>` (all, from the directory view), `/<path>/<id_name>` and
    `/<path>/by-key/<key>` (one, from its aggregate); `docs` gives each route's view class
    name, the class's docstring and the GET's, in that order."""

    @blp.arguments(ConsistencySchema, location="query")
    @blp.response(200, schema(many=True))
    def get_all(_view: MethodView, args: dict[str, Any]) -> list[dict[str, Any]]:
        at = read_point(args)
        return listing(at.db, at.position)

    @blp.response(200, schema)
    def get_by_id(_view: MethodView, **ids: UUID) -> Mapping[str, object]:
        return read(ids[id_name])

    @blp.response(200, schema)
    def get_by_key(_view: MethodView, key: str) -> Mapping[str, object]:
        return read(key_id(key))

    rules = {"": get_all, f"/<uuid:{id_name}>": get_by_id, "/by-key/<string:key>": get_by_key}
    for (rule, get), (name, about, summary) in zip(rules.items(), docs, strict=True):
        get.__doc__ = summary
        blp.route(f"/{path}{rule}")(type(name, (MethodView,), {"__doc__": about, "get": get}))


_routes(
    "organisations",
    "organisation_id",
    OrganisationSchema,
    queries.directory_organisations,
    lambda uuid: service().get_organisation(uuid),
    organisation_id,
    (
        (
            "Organisations",
            "All organisations.",
            "List organisations by key (from the directory view).",
        ),
        ("OrganisationById", "One organisation.", "Read an organisation with its positions."),
        (
            "OrganisationByKey",
            "One organisation, found by its directory key.",
            "Find an organisation by key.",
        ),
    ),
)
_routes(
    "people",
    "person_id",
    PersonSchema,
    queries.directory_people,
    lambda uuid: service().get_person(uuid),
    person_id,
    (
        ("People", "All people.", "List people by key (from the directory view)."),
        ("PersonById", "One person.", "Read a person with their positions."),
        ("PersonByKey", "One person, found by their directory key.", "Find a person by key."),
    ),
)
