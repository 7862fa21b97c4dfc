"""The pages' routes: each reads the views or calls one application method, then renders."""

from __future__ import annotations

import json
import time as wallclock
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from domain.commands import REGISTRY
from domain.errors import DomainError, ForbiddenError, InvalidError, NotFoundError
from domain.messages import msg
from domain.period import Period
from domain.read_policy import FULL, register_entry
from domain.values import VIETNAM_TZ
from projections import due, plan_queries, queries, roll_ups
from projections.db import Database
from projections.ledger import verifications
from projections.ledger.acts import ActError
from projections.ledger.check import verify_log
from projections.ledger.store import LedgerStore
from web.api import (
    calendar,
    dossier_download,
    heavy,
    proven,
    reading_open,
    receipt_of,
    service,
    today,
)
from web.api.attachments import command_context
from web.api.commands import request_schema
from web.api.initiatives import visible_to
from web.api.ledger import trusted_keys
from web.auth import TokenError, context, verify_token
from web.limits import retry_after
from web.pages import LANGUAGES, begin_session, bp, notice_text, safe_next, sessions, settings
from web.pages.documents import FILES_FIELD, with_documents, with_uploads
from web.pages.downloads import EXPORT_LIMIT, EXPORTABLE, exported, exporting
from web.pages.forms import body_of, flatten, widgets
from web.pages.labels import command_label
from web.problems import REBUILDING_DETAIL, REBUILDING_RETRY, domain_status
from web.reads import Reads, ViewsRebuildingError
from web.refusals import page_language, phrase, refusal
from web.schemas.initiatives import CreateInitiativeSchema

# command -> its request schema, for every command of the registry (domain/commands.py)
COMMAND_SCHEMAS: dict[str, type[Schema]] = {
    command.name: request_schema(command.schema) for command in REGISTRY
}


def reads() -> Reads:
    """The views of this process."""
    found: Reads = current_app.extensions["ledger.reads"]
    return found


def db() -> Database:
    """The views, once they hold what this person last recorded (read-your-writes); never
    while they are rebuilt (ViewsRebuildingError: a page says so)."""
    reads().ready(session.get("seen"))
    return reads().db


def me() -> UUID:
    """The signed-in person."""
    person: UUID = g.person_id
    return person


def page(template: str, status: int = 200, **values: Any) -> Any:
    """Render a page with what every page shows (who, notices, language); or, asked for
    `export`, one of its tables as a spreadsheet."""
    if exporting() and template in EXPORTABLE:  # (an error page is always a page)
        return exported(template, values)
    return render_template(
        template, notice=notice_text(session.pop("notice", None)), **values
    ), status


def directory_choices(database: Database) -> dict[str, list[tuple[str, str]]]:
    """People and organisations for the forms' select lists."""
    return {
        "people": [(p["id"], p["full_name"]) for p in queries.directory_people(database)],
        "organisations": [(o["id"], o["name"]) for o in queries.directory_organisations(database)],
    }


def names(database: Database) -> dict[str, str]:
    """Display names of people and organisations by id."""
    return queries.directory_names(database)


# Sign-in, sign-out, language ----------------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    """The picker (development) or a token from the identity provider."""
    picker = settings().sign_in_picker
    error = None
    if request.method == "POST":
        chosen, token = request.form.get("person", ""), request.form.get("token", "").strip()
        try:
            if chosen and picker:
                person = UUID(chosen)
                if not service().person_exists(person):
                    raise TokenError("unknown person")
            elif token:
                person = verify_token(token)
            else:
                raise TokenError("nothing to sign in with")
        except (TokenError, ValueError):
            error = _(
                "Không đăng nhập được: mã đăng nhập không hợp lệ, đã hết hạn,"
                " hoặc người này không có trong danh bạ."
            )
        else:
            begin_session(str(person))
            return redirect(safe_next(request.args.get("next")))
    return sign_in_page(error, 401 if error else 200)


def sign_in_page(error: str | None = None, status: int = 200) -> Any:
    """The sign-in page: single sign-on (when configured), the picker (development), a
    token; with `error`, why the last try failed."""
    people = []
    if settings().sign_in_picker:
        day = today()
        for p in queries.directory_people(reads().db):
            positions = queries.positions_of(reads().db, p["id"], day)
            people.append({**p, "positions": positions})
    return page(
        "sign_in.html",
        status,
        people=people,
        picker=settings().sign_in_picker,
        single_sign_on=settings().single_sign_on,
        next=request.args.get("next"),
        error=error,
    )


@bp.post("/sign-out")
def sign_out() -> Response:
    """End the session, for good (it is revoked on the server); signed in through the
    identity provider, end the provider's session too (web/pages/sso.py)."""
    from web.pages import sso  # (sso.py imports this module)

    if session.get("sid"):
        sessions().revoke(str(session["sid"]))
    lang, id_token = session.get("lang"), session.get(sso.ID_TOKEN)
    session.clear()
    if lang:
        session["lang"] = lang
    session["notice"] = "signed_out"
    return redirect(sso.end_session_url(id_token) or url_for("pages.sign_in"))


@bp.post("/language")
def language() -> Response:
    """Switch the page language."""
    chosen = request.form.get("lang", "vi")
    session["lang"] = chosen if chosen in LANGUAGES else "vi"
    return redirect(safe_next(request.form.get("next")))


# Home dashboard ---------------------------------------------------------------------------


def overseen(database: Database) -> tuple[list[dict[str, Any]], bool]:
    """The organisations this person oversees (all, for system-wide roles)."""
    orgs = queries.directory_organisations(database)
    allowed = service().overseen_organisations(context(), [UUID(o["id"]) for o in orgs])
    if allowed is None:
        return orgs, True
    return [o for o in orgs if UUID(o["id"]) in allowed], False


def chosen_organisation(
    database: Database, candidates: list[dict[str, Any]], totals: dict[str, int]
) -> dict[str, Any] | None:
    """The organisation asked for, else the busiest one this person works in."""
    asked = request.args.get("organisation_id")
    ids = {o["id"]: o for o in candidates}
    if asked:
        if asked not in ids:
            raise ForbiddenError("you do not oversee this organisation")
        return ids[asked]
    mine = [
        p["organisation_id"]
        for p in queries.positions_of(database, str(me()), today())
        if p["organisation_id"] in ids
    ]
    if mine:
        return ids[max(mine, key=lambda o: totals.get(o, 0))]
    return candidates[0] if candidates else None


SHOWN = 100  # the home page's rows of each list (clocks running, missed; pilots unsupervised)


@bp.get("/")
def home() -> Any:
    """Counts, funnel, clocks at risk and missed, supervision coverage."""
    database = db()
    candidates, everywhere = overseen(database)
    outcomes = {r["organisation_id"]: r["rolled_up"] for r in roll_ups.outcomes(database)}
    totals = {o: counts["total"] for o, counts in outcomes.items()}
    org = chosen_organisation(database, candidates, totals)
    if org is None:
        return redirect(url_for("pages.my_record"))
    org_id = org["id"]
    counts = outcomes[org_id]
    day = today()
    # The organisation's and those under it, read by the database: the most urgent SHOWN of
    # each list and how many there are; a download of a list holds every row.
    scope = queries.ReadScope(within=roll_ups.within(database, org_id))
    shown = EXPORT_LIMIT + 1 if exporting() else SHOWN
    running = due.first_clocks(database, day, calendar(), scope, "running", shown)
    missed = due.first_clocks(database, day, calendar(), scope, "missed", shown)
    clocks = due.clock_totals(database, day, scope)
    unsupervised = queries.supervision_coverage(database, day, 30, scope, shown)
    lists = {"running": running, "missed": missed}
    if exporting() and len(lists.get(request.args.get("table", ""), ())) > EXPORT_LIMIT:
        raise InvalidError(
            "more than {limit:,} rows in this list: choose an organisation under this one to"
            " download them",
            "export",
            limit=EXPORT_LIMIT,
        )
    pilots = sum(counts["by_status"].get(s, 0) for s in ("in_progress", "suspended"))
    year = Period.parse(str(day.year))
    return page(
        "home.html",
        plan=plan_queries.plan_against_results(database, org_id, year, day),
        organisation=org,
        organisations=candidates,
        counts=counts,
        funnel=roll_ups.funnel(database, org_id),
        at_risk=due.at_risk_total(database, day, calendar(), scope),
        running=running,
        missed=missed,
        clocks=clocks,
        unsupervised=unsupervised,
        # the pilots the organisation and those under it employ or approved, and of those
        # the unsupervised (the list's rows)
        supervision=queries.supervision_totals(database, day, 30, scope),
        pilots=pilots,
        names=names(database),
        everywhere=everywhere,
    )


# Inbox --------------------------------------------------------------------------------------


@bp.get("/inbox")
def inbox() -> Any:
    """Proposals awaiting a decision in the organisations where I work, most urgent first,
    each with what it waits for and who must act next."""
    database = db()
    day = today()
    boxes = []
    for position in queries.positions_of(database, str(me()), day):
        if position["role"] not in ("head", "deputy", "clerk"):
            continue
        rows = due.inbox(database, position["organisation_id"], day, calendar())
        boxes.append({"organisation": position["organisation_name"], "rows": rows})
    waiting = [{"organisation": box["organisation"], **r} for box in boxes for r in box["rows"]]
    return page("inbox.html", boxes=boxes, waiting=waiting, names=names(database))


# Initiative list ----------------------------------------------------------------------------

LIST_FILTERS = ("status", "organisation_id", "q", "head_override", "outside_approval")


@bp.get("/initiatives")
def initiatives() -> Any:
    """Initiatives I may see, with filters and search (with or without diacritics)."""
    database = db()
    args = {k: v for k, v in request.args.items() if k in LIST_FILTERS and v}
    filters: dict[str, Any] = {
        "status": args.get("status"),
        "employing_organisation_id": args.get("organisation_id"),
        "q": args.get("q"),
        "visible_to": visible_to(database),
    }
    for flag in ("head_override", "outside_approval"):
        if args.get(flag):
            filters[flag] = True
    limit, cursor = (EXPORT_LIMIT, None) if exporting() else (50, request.args.get("cursor"))
    try:
        found = queries.list_initiatives(database, filters, "-updated_at", limit, cursor or None)
    except queries.QueryError as error:  # the page sorts by one key: only its cursor can be bad
        raise InvalidError("the cursor is not one this service issued", "cursor") from error
    if exporting() and found.get("next_cursor"):
        raise InvalidError(
            "more than {limit:,} initiatives match: narrow the filters to download them",
            "export",
            limit=EXPORT_LIMIT,
        )
    return page(
        "list.html",
        rows=found["items"],
        next_cursor=found.get("next_cursor"),
        args=args,
        organisations=queries.directory_organisations(database),
        names=names(database),
    )


@bp.route("/initiatives/new", methods=["GET", "POST"])
def new_initiative() -> Any:
    """Open a draft: the proposal's fields are filled in by the submit form."""
    database = db()
    drawn = widgets(CreateInitiativeSchema(), directory_choices(database))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            body = CreateInitiativeSchema().load(body_of(request.form, drawn))
            created = service().create_initiative(context(), **body)
        except ValidationError as error:
            errors = flatten(error.messages)
        except InvalidError as error:
            errors = {error.field or "_": [refusal(error)]}
        else:
            session["seen"] = service().last_position()
            session["notice"] = "created"
            return redirect(url_for("pages.initiative", initiative_id=created["id"]))
    return page(
        "new.html", 422 if errors else 200, widgets=drawn, errors=errors, values=request.form
    )


# One initiative -----------------------------------------------------------------------------


def moment_of(value: str | None) -> datetime | None:
    """A date (end of that day in Vietnam) or a date and time from the page's picker."""
    if not value:
        return None
    try:
        if "T" in value:
            return datetime.fromisoformat(value).replace(tzinfo=VIETNAM_TZ)
        day = date.fromisoformat(value)
    except ValueError as error:
        raise InvalidError(_("Ngày không hợp lệ."), "as_of") from error
    return datetime.combine(day, time(23, 59, 59), VIETNAM_TZ)


@bp.get("/initiatives/<uuid:initiative_id>")
def initiative(initiative_id: UUID, open_form: str | None = None, **failed: Any) -> Any:
    """State, terms, clocks, timeline (as it stood on a chosen day), forms and downloads."""
    database = db()
    moment = moment_of(request.args.get("as_of"))
    ctx = context()
    proven(initiative_id)
    state = service().get_initiative(initiative_id, as_of=moment)
    full = service().read_level(ctx, initiative_id) == FULL
    inspector = full and service().is_inspector(ctx)
    reading = full and (not inspector or reading_open(initiative_id))
    history: list[dict[str, Any]] = []
    if not reading:
        state = register_entry(state)
    else:
        history = service().get_history(initiative_id, moment)
        with_documents(history)
    choices = directory_choices(database)
    known = dict(choices["people"] + choices["organisations"])
    forms = []
    if moment is None:
        for method in service().offered(ctx, initiative_id):
            schema = COMMAND_SCHEMAS[method]
            forms.append(
                {
                    "method": method,
                    "label": command_label(method),
                    "widgets": widgets(schema(), choices),
                    "uploads": "attachments" in schema().fields,
                }
            )
    return page(
        "initiative.html",
        failed.pop("status", 200),
        state=state,
        full=reading,
        inspector=inspector,
        reading=reading,
        history=history,
        sealed=LedgerStore(reads().db).leaves_of(initiative_id) if history else {},
        forms=forms,
        open_form=open_form,
        errors=failed.get("errors", {}),
        problem=failed.get("problem"),
        values=failed.get("values", {}),
        as_of=request.args.get("as_of", ""),
        names=known,
    )


@bp.post("/initiatives/<uuid:initiative_id>/do/<method>")
def command(initiative_id: UUID, method: str) -> Any:
    """Run one command with the form's fields; errors come back next to the fields."""
    if method not in COMMAND_SCHEMAS:
        abort(404)
    schema = COMMAND_SCHEMAS[method]
    drawn = widgets(schema(), {"people": [], "organisations": []})  # the shape, not the lists
    version = request.form.get("version", "")
    try:
        posted = body_of(request.form, drawn)
        if "attachments" in schema().fields:
            posted = with_uploads(posted, request.files.getlist(FILES_FIELD))
        body = schema().load(posted)
        expected = int(version) if version.isdigit() else None
        ctx = command_context(body)
        service().execute(method, ctx, initiative_id, expected, **body)
    except ValidationError as error:
        return _failed(initiative_id, method, 422, errors=flatten(error.messages))
    except InvalidError as error:
        return _failed(initiative_id, method, 422, errors={error.field or "_": [refusal(error)]})
    except (ForbiddenError, NotFoundError) as error:
        return _failed(initiative_id, method, 403, problem=refusal(error))
    except DomainError as error:
        return _failed(initiative_id, method, 409, problem=refusal(error))
    session["seen"] = service().last_position()
    session["notice"] = "recorded"
    return redirect(url_for("pages.initiative", initiative_id=initiative_id) + "#timeline")


def _failed(initiative_id: UUID, method: str, status: int, **what: Any) -> Any:
    return initiative(
        initiative_id,
        open_form=method,
        status=status,
        values=request.form,
        **what,
    )


@bp.get("/initiatives/<uuid:initiative_id>/events/<int:version>/receipt")
def receipt(initiative_id: UUID, version: int) -> Response:
    """Download the receipt of one event (verify it offline with `ledger verify receipt`)."""
    body = json.dumps(receipt_of(initiative_id, version), ensure_ascii=False, indent=2)
    name = f"receipt-{initiative_id}-v{version}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/initiatives/<uuid:initiative_id>/events/<int:version>/certificate")
def certificate(initiative_id: UUID, version: int) -> Response:
    """Download the certificate of one act (a PDF page drawn from its verified receipts)."""
    from web.certificate import certificate_download

    return certificate_download(initiative_id, version)


@bp.post("/initiatives/<uuid:initiative_id>/reading")
def open_reading(initiative_id: UUID) -> Response:
    """An inspector states the purpose of reading the record (recorded); the reading is kept
    in the session for READING_TTL seconds."""
    ctx = context()
    service().require_full_read(ctx, initiative_id, msg("record"))
    try:
        reading = service().open_reading(ctx, initiative_id, request.form.get("purpose", ""))
    except InvalidError:
        session["notice"] = "purpose"
        return redirect(url_for("pages.initiative", initiative_id=initiative_id))
    readings = dict(session.get("readings") or {})
    readings[str(initiative_id)] = reading
    session["readings"] = readings
    session["seen"] = service().last_position()
    return redirect(url_for("pages.initiative", initiative_id=initiative_id))


@bp.get("/initiatives/<uuid:initiative_id>/dossier")
def dossier(initiative_id: UUID) -> Response:
    """Download the inspection dossier (an inspector within an open reading)."""
    return dossier_download(initiative_id)


# My record ------------------------------------------------------------------------------------


@bp.get("/me")
def my_record() -> Any:
    """My initiatives, evaluations, protection and commendations, by period; the running
    clocks of my initiatives, with what each waits for and who must act."""
    database, person, day = db(), str(me()), today()
    period = "quarter" if request.args.get("period") == "quarter" else "year"
    mine = queries.list_initiatives(database, {"person_id": person}, "-updated_at", 200, None)
    return page(
        "me.html",
        mine=mine["items"],
        records=queries.cadre_records(database, period, person),
        clocks=queries.running_clocks_of(database, person, day, calendar()),
        period=period,
        positions=queries.positions_of(database, person, day),
        names=names(database),
    )


# Ledger -------------------------------------------------------------------------------------


@bp.route("/ledger", methods=["GET", "POST"])
def ledger() -> Any:
    """The latest checkpoint, the verifier key, and the last full verification."""
    database = db()
    store = settings().ledger_store(database)
    verifier = settings().verifier()
    if request.method == "POST":
        service().require_ledger_verifier(context())
        with heavy("a full verification of the log"):
            report = verify_log(service(), database, verifier)
        verifications.record(database, report)
        return redirect(url_for("pages.ledger"))
    return page(
        "ledger.html",
        checkpoint=store.latest(),
        size=store.size(),
        verifier=keys.encode().strip() if (keys := trusted_keys()) else None,
        witnesses=len(store.witnesses),
        quorum=store.quorum,
        cosigned=store.last_cosigned(),
        now=wallclock.time(),
        verification=verifications.latest(database),
    )


# Errors -------------------------------------------------------------------------------------


@bp.errorhandler(DomainError)
def domain_error(error: DomainError) -> Any:
    """A rule refused what the page asked: say so on a page, with the reason (in the page's
    language)."""
    status, _ = domain_status(error)  # the API's mapping: one table for both
    return page("error.html", status, status_code=status, detail=refusal(error))


@bp.errorhandler(ActError)  # RecordIntegrityError too
def integrity_error(error: ActError) -> Any:
    """A record that does not match the ledger is not shown: a banner says so, and why."""
    return page("error.html", 409, status_code=409, detail=str(error), integrity=True)


@bp.errorhandler(ViewsRebuildingError)
def views_rebuilding(_error: ViewsRebuildingError) -> Any:
    """The views are being rebuilt: a page says so, and when to come back."""
    detail = phrase(REBUILDING_DETAIL, page_language())
    body, _ = page("error.html", 503, status_code=503, detail=detail)
    return body, 503, {"Retry-After": str(REBUILDING_RETRY)}


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Any:
    """Errors of the pages as pages (the API answers problem+json)."""
    status = error.code or 500
    body, _ = page("error.html", status, status_code=status, detail=error.description)
    seconds = retry_after(error)
    return body, status, ({"Retry-After": str(seconds)} if seconds is not None else {})
