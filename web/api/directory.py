"""Organisations and people of the directory (read-only; imports go through the CLI)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from domain.values import organisation_id, person_id
from projections import queries
from web.api import Blueprint, service, views
from web.auth import authenticate
from web.schemas.directory import OrganisationSchema, PersonSchema
from web.schemas.queries import ConsistencySchema

blp = Blueprint("directory", __name__, url_prefix="/api/v1", description="The directory")
blp.before_request(authenticate)


@blp.route("/organisations")
class Organisations(MethodView):
    """All organisations."""

    @blp.arguments(ConsistencySchema, location="query")
    @blp.response(200, OrganisationSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """List organisations by key (from the directory view)."""
        return queries.directory_organisations(views(args))


@blp.route("/organisations/<uuid:organisation_id>")
class OrganisationById(MethodView):
    """One organisation."""

    @blp.response(200, OrganisationSchema)
    def get(self, organisation_id: UUID) -> dict[str, Any]:
        """Read an organisation with its positions."""
        return service().get_organisation(organisation_id)


@blp.route("/organisations/by-key/<string:key>")
class OrganisationByKey(MethodView):
    """One organisation, found by its directory key."""

    @blp.response(200, OrganisationSchema)
    def get(self, key: str) -> dict[str, Any]:
        """Find an organisation by key."""
        return service().get_organisation(organisation_id(key))


@blp.route("/people")
class People(MethodView):
    """All people."""

    @blp.arguments(ConsistencySchema, location="query")
    @blp.response(200, PersonSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """List people by key (from the directory view)."""
        return queries.directory_people(views(args))


@blp.route("/people/<uuid:person_id>")
class PersonById(MethodView):
    """One person."""

    @blp.response(200, PersonSchema)
    def get(self, person_id: UUID) -> dict[str, Any]:
        """Read a person with their positions."""
        return service().get_person(person_id)


@blp.route("/people/by-key/<string:key>")
class PersonByKey(MethodView):
    """One person, found by their directory key."""

    @blp.response(200, PersonSchema)
    def get(self, key: str) -> dict[str, Any]:
        """Find a person by key."""
        return service().get_person(person_id(key))
