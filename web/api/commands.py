"""The initiative commands (one POST each, from the command registry) and what the API document
says of them: each command's description, and the links of a creation to every operation on
the new initiative."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from domain.commands import REGISTRY
from web.schemas import initiatives, lifecycle


def request_schema(name: str) -> type[Schema]:
    """The request schema a registry command names (`Command.schema`), from web.schemas."""
    for module in (initiatives, lifecycle):
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, Schema):
            return found
    raise LookupError(f"no request schema {name} in web.schemas")


# path segment, body schema, application method, summary, who may, in which states: each
# derived from the command's entry in the registry (domain/commands.py).
COMMANDS: list[tuple[str, type[Schema], str, str, str, str]] = [
    (c.path, request_schema(c.schema), c.name, c.summary, c.who_text, c.when_text)
    for c in REGISTRY
]


# What the answer to a creation links to (OpenAPI links, which clients and schemathesis's
# stateful run follow with the new initiative's id): every operation on one initiative, as
# (method, path after the id).
LINKED_FROM_CREATION = [
    ("get", ""),
    ("get", "/history"),
    ("get", "/dossier"),
    ("post", "/readings"),
    ("get", "/access-log"),
    ("get", "/changes"),
    ("get", "/events/{version}/receipt"),
    ("get", "/events/{version}/certificate"),
    *(("post", f"/{name}") for name, *_ in COMMANDS),
]


def creation_links(prefix: str) -> dict[str, Any]:
    """The OpenAPI links of the 201 answer to a creation under `prefix` (the initiatives'
    URL): the new id (and, for the receipt, the version of its first event) into each
    operation of LINKED_FROM_CREATION."""
    links: dict[str, Any] = {}
    for method, path in LINKED_FROM_CREATION:
        route = f"{prefix}/{{initiative_id}}{path}"
        parameters = {"initiative_id": "$response.body#/id"}
        if "{version}" in path:
            parameters["version"] = "$response.body#/version"
        pointer = route.replace("~", "~0").replace("/", "~1")
        links[path.split("/")[-1] or "initiative"] = {
            "operationRef": f"#/paths/{pointer}/{method}",
            "parameters": parameters,
        }
    return links


def description(summary: str, who: str, states: str) -> str:
    """The description of a command's operation: what it does, who may, in which states."""
    return f"{summary}\n\nWho may: {who}.\n\nAllowed when: {states}."
