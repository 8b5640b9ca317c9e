"""The emulator's HTTP face: MCN's virtual-PBX API under ``/v2/rest``, plus admin.

Every error, from any route (including unknown routes and wrong methods), has
one JSON shape: ``{"status": "error", "code": N, "errors": {"description": …}}``.
Checks run in the real API's order: token (401), account (403), PBX (404), then
parameters (400).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .faults import FaultMiddleware, error_body
from .schema import CallLog, ErrorBody, VpbxList
from .world import ApiProblem, Emulator

PREFIX = "/v2/rest"
JSON = "application/json"

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (400, "Malformed or reversed dates, or a bad limit or offset."),
        (401, "The token is missing or unknown."),
        (403, "The token belongs to another account."),
        (404, "Unknown virtual PBX or call."),
        (429, "Over the rate limit; see Retry-After."),
        (500, "Temporary failure (fault injection)."),
        (502, "Temporary failure (fault injection)."),
        (503, "Temporary failure (fault injection)."),
    )
}
_ERRORS[429]["headers"] = {"Retry-After": {"schema": {"type": "string"}}}

_DATE = {"pattern": r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$"}

Auth = Annotated[str | None, Header(alias="Authorization", description="Bearer <token>")]
UserHash = Annotated[str | None, Query(description="The token, for older integrations.")]


def _problem(exc: ApiProblem) -> Response:
    return Response(error_body(exc.status, exc.description), exc.status, exc.headers, JSON)


def _token(authorization: str | None, user_hash: str | None) -> str | None:
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return None
    return user_hash or None


def create_app(emulator: Emulator) -> FastAPI:
    """The ASGI app serving ``emulator``, with its fault middleware."""
    app = FastAPI(
        title="MCN virtual PBX API (mcn-calls emulator)",
        version="2",
        description="A local emulator of MCN Telecom's VATS call-log API.",
    )

    @app.exception_handler(ApiProblem)
    async def _on_problem(request: Request, exc: ApiProblem) -> Response:
        return _problem(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(request: Request, exc: StarletteHTTPException) -> Response:
        text = {404: "No such endpoint: check the URL.", 405: "Method not allowed here."}.get(
            exc.status_code, str(exc.detail)
        )
        return _problem(ApiProblem(exc.status_code, text))

    @app.exception_handler(RequestValidationError)
    async def _on_invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
        return _problem(ApiProblem(400, f"Invalid request: {where} {first.get('msg', '')}."))

    @app.get(
        f"{PREFIX}/account/{{account_id}}/vpbx",
        response_model=VpbxList,
        responses=_ERRORS,
        summary="The account's active virtual PBXs",
    )
    def vpbx_list(
        account_id: str, authorization: Auth = None, user_hash: UserHash = None
    ) -> Response:
        account = emulator.authorise(_token(authorization, user_hash), account_id)
        return Response(emulator.vpbx_list(account), media_type=JSON)

    @app.get(
        f"{PREFIX}/account/{{account_id}}/vpbx/{{vpbx_id}}/call_log",
        response_model=CallLog,
        responses=_ERRORS,
        summary="Calls of a virtual PBX in a date range",
    )
    def call_log(
        account_id: str,
        vpbx_id: str,
        date_from: Annotated[
            str | None,
            Query(description="YYYY-MM-DD or YYYY-MM-DD HH:MM:SS", json_schema_extra=_DATE),
        ] = None,
        date_to: Annotated[
            str | None,
            Query(description="Inclusive; a day alone means all of it", json_schema_extra=_DATE),
        ] = None,
        limit: Annotated[
            str | None,
            Query(
                description="Page size (default 1000, capped at 5000)",
                json_schema_extra={"pattern": "^[1-9][0-9]{0,8}$"},
            ),
        ] = None,
        offset: Annotated[
            str | None,
            Query(description="Calls to skip", json_schema_extra={"pattern": "^[0-9]{1,9}$"}),
        ] = None,
        request_detailed: Annotated[
            str | None, Query(description="1 adds events[]", json_schema_extra={"enum": ["0", "1"]})
        ] = None,
        authorization: Auth = None,
        user_hash: UserHash = None,
    ) -> Response:
        account = emulator.authorise(_token(authorization, user_hash), account_id)
        pbx = emulator.pbx(account, vpbx_id)
        body = emulator.call_log(pbx, date_from, date_to, limit, offset, request_detailed)
        return Response(body, media_type=JSON)

    @app.get(
        f"{PREFIX}/account/{{account_id}}/vpbx/{{vpbx_id}}/call_log/record",
        responses={200: {"content": {"audio/mpeg": {}}, "description": "MP3 audio"}, **_ERRORS},
        response_class=Response,
        summary="The recording of a call",
    )
    def record(
        account_id: str,
        vpbx_id: str,
        call_id: Annotated[str | None, Query(description="callid of the call")] = None,
        authorization: Auth = None,
        user_hash: UserHash = None,
    ) -> Response:
        account = emulator.authorise(_token(authorization, user_hash), account_id)
        pbx = emulator.pbx(account, vpbx_id)
        return Response(emulator.recording(pbx, call_id), media_type="audio/mpeg")

    _admin_routes(app, emulator)
    if emulator.config.faults.any:
        app.add_middleware(
            FaultMiddleware,
            faults=emulator.config.faults,
            prefix=PREFIX,
            seed=emulator.config.seed,
        )
    return app


def _admin_routes(app: FastAPI, emulator: Emulator) -> None:
    """Change over time, guarded by the admin token; left out of the API document."""

    def guard(authorization: str | None) -> None:
        if _token(authorization, None) != emulator.config.admin_token:
            raise ApiProblem(401, "Admin calls need 'Authorization: Bearer <admin token>'.")

    @app.post("/admin/tick", include_in_schema=False)
    def tick(
        authorization: Auth = None,
        calls: int = 10,
        changes: int = 2,
        vpbx_id: int | None = None,
        at: str | None = None,
    ) -> dict[str, list[str]]:
        guard(authorization)
        return emulator.tick(calls, changes, vpbx_id, at)

    @app.post("/admin/vpbx/{vpbx_id}/calls", include_in_schema=False)
    def upsert(
        vpbx_id: int, records: Annotated[list[dict[str, Any]], Body()], authorization: Auth = None
    ) -> dict[str, list[str]]:
        guard(authorization)
        return {"upserted": emulator.upsert(vpbx_id, records)}

    @app.patch("/admin/vpbx/{vpbx_id}/calls/{callid}", include_in_schema=False)
    def patch(
        vpbx_id: int,
        callid: str,
        fields: Annotated[dict[str, Any], Body()],
        authorization: Auth = None,
    ) -> dict[str, Any]:
        guard(authorization)
        return emulator.patch(vpbx_id, callid, fields)
