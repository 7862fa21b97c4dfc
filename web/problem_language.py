"""The API's problems in the request's language: titles, details and a field's messages.

A problem's `title` and `detail` are English sentences of the web layer: a constant declared
with `msg()`, or a `Sentence` (a template and its parameters, like a domain refusal) where it
carries values. In Vietnamese (`Accept-Language: vi`, `web/refusals.py`) both are looked up in
the refusals catalogue (`web/translations/vi/LC_MESSAGES/refusals.po`); werkzeug's own titles
and default descriptions (a 404 route, a 405, a 413…) are declared here so the catalogue
holds them (`tests/unit/test_refusals_catalogue.py`), and marshmallow's messages of a field
(`Missing data for required field.`) take the pages' sentences (`SCHEMA_MESSAGES`, one table
for both). English, or no header, keeps the sentences as programs read them.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale

from domain.messages import msg
from web.pages.labels import schema_message
from web.refusals import Sentence, say

# werkzeug's names of the statuses the API answers (a problem's title)
TITLES = (
    msg("Bad Request"),
    msg("Unauthorized"),
    msg("Forbidden"),
    msg("Not Found"),
    msg("Method Not Allowed"),
    msg("Not Acceptable"),
    msg("Conflict"),
    msg("Precondition Failed"),
    msg("Request Entity Too Large"),
    msg("Unsupported Media Type"),
    msg("Unprocessable Entity"),
    msg("Precondition Required"),
    msg("Too Many Requests"),
    msg("Internal Server Error"),
    msg("Service Unavailable"),
)

# werkzeug's default descriptions (a problem's detail when the code raising it gave none);
# a unit test checks they are still werkzeug's words (tests/unit/test_problem_language.py)
DESCRIPTIONS = (
    msg("The browser (or proxy) sent a request that this server could not understand."),
    msg(
        "The server could not verify that you are authorized to access the URL requested."
        " You either supplied the wrong credentials (e.g. a bad password), or your browser"
        " doesn't understand how to supply the credentials required."
    ),
    msg(
        "You don't have the permission to access the requested resource. It is either"
        " read-protected or not readable by the server."
    ),
    msg(
        "The requested URL was not found on the server. If you entered the URL manually"
        " please check your spelling and try again."
    ),
    msg("The method is not allowed for the requested URL."),
    msg(
        "The resource identified by the request is only capable of generating response"
        " entities which have content characteristics not acceptable according to the accept"
        " headers sent in the request."
    ),
    msg(
        "A conflict happened while processing the request. The resource might have been"
        " modified while the request was being processed."
    ),
    msg("The precondition on the request for the URL failed positive evaluation."),
    msg("The data value transmitted exceeds the capacity limit."),
    msg("The server does not support the media type transmitted in the request."),
    msg("The request was well-formed but was unable to be followed due to semantic errors."),
    msg(
        'This request is required to be conditional; try using "If-Match" or'
        ' "If-Unmodified-Since".'
    ),
    msg("This user has exceeded an allotted request count. Try again later."),
    msg(
        "The server encountered an internal error and was unable to complete your request."
        " Either the server is overloaded or there is an error in the application."
    ),
    msg(
        "The server is temporarily unable to service your request due to maintenance downtime"
        " or capacity problems. Please try again later."
    ),
)

INVALID_FIELDS = msg("the request has invalid fields; see errors")


def spoken(text: str, language: str) -> str:
    """A problem's title or detail in `language`: a `Sentence` from its template, a phrase
    the catalogue holds by its sentence, anything else (a sentence already said in the
    language, a value) as it is."""
    if isinstance(text, Sentence):
        return say(text.template, text.params, str(text), language)
    return say(text, {}, text, language)


def field_errors(errors: Any, language: str) -> Any:
    """The messages of a problem's `errors` (nested by field, list index or schema) in
    `language`: marshmallow's by the pages' table, the web layer's by the catalogue."""
    if language != "vi":
        return errors
    if isinstance(errors, dict):
        return {key: field_errors(value, language) for key, value in errors.items()}
    if isinstance(errors, list):
        return [field_errors(value, language) for value in errors]
    if isinstance(errors, str):
        with force_locale("vi"):
            said = schema_message(errors)
        return spoken(errors, language) if said == errors else said
    return errors
