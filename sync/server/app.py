"""The departmental sync server: a stateless FastAPI app (run it with uvicorn).

Its OpenAPI document (``/openapi.json``, ``/docs``) is the contract of the sync
protocol: the request and answer schemas are :mod:`sync.protocol`'s models, every
refusal is an ``ErrorBody`` with a machine code and a French message.
"""

import logging
import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.protocol import (
    DEFAULT_AUDIT_LIMIT,
    DEFAULT_PULL_LIMIT,
    MAX_AUDIT_LIMIT,
    MAX_PULL_LIMIT,
    MAX_PUSH_CHANGES,
    PROTOCOL_VERSION,
    UNSENT_HEADER,
    AuditKind,
    AuditPage,
    DepartmentSettingsResponse,
    DiffRequest,
    DiffResponse,
    DigestsResponse,
    DirectoryPage,
    ErrorBody,
    ErrorCode,
    FilesRequest,
    FilesResponse,
    HandoverRequest,
    HandoverResponse,
    HealthResponse,
    LoginRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
    RevealRequest,
    RevealResponse,
    TokenResponse,
    TombstonesRequest,
    TombstonesResponse,
    UserInfo,
)
from sync.server import audit as team_audit
from sync.server import department, migrate, sensitive, service
from sync.server import directory as directory_pull
from sync.server.auth import AccountRow, AuthService
from sync.server.db import make_engine
from sync.server.errors import ApiError
from sync.server.merge import Actor
from sync.server.settings import ServerSettings
from sync.server.wire import GuardMiddleware, WireMiddleware

UVICORN_LIMITS: dict[str, Any] = {"h11_max_incomplete_event_size": 256 * 1024}
"""uvicorn options for every way the server runs: headers up to 256 KiB reach the app,
which answers an oversized token with a JSON 401 ``token_invalid`` (h11's own limit
answers a plain-text 400 with no code)."""

log = logging.getLogger(__name__)

DESCRIPTION = f"""
Synchronisation des appareils des référents avec le serveur départemental (DESIGN §5).

* **Authentification** : `POST /auth/login` échange un mot de passe contre un jeton de
  renouvellement lié à l'appareil et un jeton d'accès (15 min) à présenter en
  `Authorization: Bearer …`; `POST /auth/refresh` en délivre un nouveau.
* **Envoi** : `POST /sync/push`, {MAX_PUSH_CHANGES} modifications au plus, idempotent par
  `change_id`, fusion champ par champ (dernier écrivain par horloge logique hybride).
* **Réception** : `GET /sync/pull?since=CURSEUR&limit=N`, page par page (`next`, `more`).
  `since=0` télécharge tout le périmètre. `410 cursor_unknown` : recharger depuis `0` en
  gardant les modifications locales non envoyées.
* **Compression** : corps de requête en `Content-Encoding: zstd` ou `gzip`; réponses
  compressées selon `Accept-Encoding` (zstd préféré).
* **Erreurs** : toujours un `ErrorBody` (`code` machine, `message` en français).
  401 → renouveler le jeton; 403 `device_revoked` → effacer les données locales.
* Version du protocole : {PROTOCOL_VERSION}.
"""

_STATUS_TEXT: dict[int, str] = {
    400: "Requête illisible.",
    401: "Jeton absent, invalide ou expiré.",
    403: "Appareil révoqué, compte désactivé, hors de votre périmètre…",
    404: "Élément inconnu.",
    409: "En conflit avec l'état du serveur.",
    410: "Curseur inconnu : tout recharger.",
    413: "Requête ou lot trop volumineux.",
    415: "Compression non prise en charge.",
    422: "Contenu invalide : rien n'est appliqué.",
    429: "Trop d'essais : réessayer après `Retry-After` secondes.",
    503: "Base de données indisponible.",
}

Refusals = dict[int, tuple[ErrorCode, ...]]

# What answers before the route runs, on every request: the wire middleware (an unreadable
# Content-Length, a body too large, an unknown compression).
_WIRE: Refusals = {
    400: (ErrorCode.INVALID_REQUEST,),
    413: (ErrorCode.PAYLOAD_TOO_LARGE,),
    415: (ErrorCode.UNSUPPORTED_ENCODING,),
}
_DATABASE: Refusals = {503: (ErrorCode.UNAVAILABLE,)}
# A JSON body: not JSON, not the model, a lone surrogate (the middleware), a body that
# does not inflate.
_BODY: Refusals = {
    400: (ErrorCode.INVALID_JSON, ErrorCode.INVALID_REQUEST),
    422: (ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_VALUE),
}
_QUERY: Refusals = {422: (ErrorCode.INVALID_REQUEST,)}
_PROTOCOL: Refusals = {400: (ErrorCode.UNSUPPORTED_PROTOCOL,)}
_TOKEN: Refusals = {
    401: (ErrorCode.AUTH_REQUIRED, ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED),
    403: (ErrorCode.DEVICE_REVOKED, ErrorCode.ACCOUNT_DISABLED),
}
_ACCOUNT: Refusals = {403: (ErrorCode.AUTH_REQUIRED,)}  # a token of no referent account

REFUSAL_CODES_KEY = "x-error-codes"
"""The extension of each refusal of the OpenAPI document listing its codes (also the enum
of its ``ErrorBody.code``)."""


def _refusals(
    *parts: Refusals, descriptions: dict[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of an operation: each refusal status with every code it answers
    (``tests/integration/test_authz_openapi_codes.py`` checks them against the source)."""
    merged: dict[int, list[ErrorCode]] = {}
    for part in parts:
        for status, codes in part.items():
            listed = merged.setdefault(status, [])
            listed += [code for code in codes if code not in listed]
    responses: dict[int | str, dict[str, Any]] = {}
    for status in sorted(merged):
        answered = sorted(merged[status])
        text = (descriptions or {}).get(status, _STATUS_TEXT[status])
        responses[status] = {
            "model": ErrorBody,
            "description": f"{text} Codes : {', '.join(f'`{c.value}`' for c in answered)}.",
            REFUSAL_CODES_KEY: [code.value for code in answered],
        }
    return responses


_bearer = HTTPBearer(auto_error=False, description="Jeton d'accès de /auth/login.")


def _error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(
        status_code=error.status,
        content=error.body().model_dump(mode="json"),
        headers=error.headers,
    )


def _user(row: AccountRow) -> UserInfo:
    return UserInfo(
        id=row.referent_id,
        username=row.username,
        first_name=row.first_name,
        last_name=row.last_name,
        role=row.role,  # type: ignore[arg-type]
        team_id=row.team_id,
    )


def _check_protocol(version: int) -> None:
    if version != PROTOCOL_VERSION:
        raise ApiError(400, ErrorCode.UNSUPPORTED_PROTOCOL, detail=f"serveur : {PROTOCOL_VERSION}")


def create_app(settings: ServerSettings, engine: Engine | None = None) -> FastAPI:
    """The ASGI app on ``settings.database_url`` (migrated to the latest schema)."""
    if engine is None:
        engine = make_engine(
            settings.database_url, pool_size=settings.pool_size, max_overflow=settings.max_overflow
        )
    migrate.upgrade(engine)
    auth = AuthService(engine, settings)
    app = FastAPI(
        title="SPIE — serveur départemental de synchronisation",
        version=f"{PROTOCOL_VERSION}.0",
        description=DESCRIPTION,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.auth = auth

    # -- errors ---------------------------------------------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        location = [str(part) for part in first.get("loc", ())]
        if first.get("type") == "json_invalid":
            return _error_response(ApiError(400, ErrorCode.INVALID_JSON))
        if location[:2] == ["body", "changes"] and first.get("type") == "too_long":
            return _error_response(ApiError(413, ErrorCode.BATCH_TOO_LARGE))
        detail = f"{'.'.join(location)} : {first.get('msg', '')}"[:300]
        field = location[-1] if location else None
        return _error_response(ApiError(422, ErrorCode.INVALID_REQUEST, detail=detail, field=field))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {
            404: ErrorCode.NOT_FOUND,
            405: ErrorCode.METHOD_NOT_ALLOWED,
        }.get(exc.status_code, ErrorCode.INVALID_REQUEST)
        return _error_response(ApiError(exc.status_code, code))

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        return _error_response(ApiError(503, ErrorCode.UNAVAILABLE))

    # -- dependencies ---------------------------------------------------------------------

    def current_actor(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Actor:
        header = f"Bearer {credentials.credentials}" if credentials else None
        return auth.actor_for(header, unsent=request.headers.get(UNSENT_HEADER))

    def pushing_actor(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Actor:
        """The actor of a push: a retired device's final push is still taken."""
        header = f"Bearer {credentials.credentials}" if credentials else None
        return auth.actor_for(header, unsent=request.headers.get(UNSENT_HEADER), final_push=True)

    # -- routes ---------------------------------------------------------------------------

    @app.get("/health", response_model=HealthResponse, responses=_refusals(_WIRE), tags=["serveur"])
    def health() -> HealthResponse:
        """Le serveur répond (sans authentification)."""
        return HealthResponse(server_time=settings.now())

    @app.post(
        "/auth/login",
        response_model=TokenResponse,
        responses={
            **_refusals(
                _WIRE,
                _DATABASE,
                _BODY,
                _PROTOCOL,
                {
                    401: (ErrorCode.BAD_CREDENTIALS,),
                    403: (ErrorCode.DEVICE_REVOKED, ErrorCode.DEVICE_MISMATCH),
                },
                descriptions={403: "Appareil révoqué, ou rattaché à un autre compte."},
            ),
            429: {
                **_refusals({429: (ErrorCode.TOO_MANY_ATTEMPTS,)})[429],
                "headers": {
                    "Retry-After": {
                        "description": "Secondes à attendre.",
                        "schema": {"type": "integer", "minimum": 1},
                    }
                },
            },
        },
        tags=["authentification"],
    )
    def login(body: LoginRequest, request: Request) -> TokenResponse:
        """Échange identifiant et mot de passe contre des jetons liés à l'appareil.

        Une seule réponse (401 `bad_credentials`) pour un compte inconnu, désactivé ou un
        mot de passe faux; trop d'échecs (par compte, par adresse cliente, par couple)
        donnent 429 `too_many_attempts` avec `Retry-After`. Une nouvelle connexion révoque
        les jetons de renouvellement précédents de l'appareil.
        """
        _check_protocol(body.protocol)
        client = request.client.host if request.client else ""
        row, access, refresh, ttl = auth.login(
            body.username, body.password, body.device_id, body.device_name, client
        )
        return TokenResponse(
            access_token=access,
            expires_in=ttl,
            refresh_token=refresh,
            user=_user(row),
            device_id=body.device_id,
            server_time=settings.now(),
        )

    @app.post(
        "/auth/refresh",
        response_model=TokenResponse,
        responses=_refusals(
            _WIRE,
            _DATABASE,
            _BODY,
            _PROTOCOL,
            {
                401: (ErrorCode.REFRESH_INVALID,),
                403: (ErrorCode.DEVICE_REVOKED, ErrorCode.ACCOUNT_DISABLED),
            },
        ),
        tags=["authentification"],
    )
    def refresh(body: RefreshRequest, request: Request) -> TokenResponse:
        """Un nouveau jeton d'accès et le jeton de renouvellement suivant.

        Le jeton présenté est consommé : l'appareil doit ranger celui de la réponse. Un
        jeton déjà consommé révoque toute sa famille (vol ou rejeu). La durée de vie de
        la famille est fixée à la connexion (pas de prolongation à l'usage).
        """
        _check_protocol(body.protocol)
        row, access, successor, ttl = auth.refresh(
            body.refresh_token,
            body.device_id,
            unsent=request.headers.get(UNSENT_HEADER),
            rotation_id=body.rotation_id,
        )
        return TokenResponse(
            access_token=access,
            refresh_token=successor,
            expires_in=ttl,
            user=_user(row),
            device_id=body.device_id,
            server_time=settings.now(),
        )

    @app.post(
        "/sync/push",
        response_model=PushResponse,
        responses=_refusals(
            _WIRE,
            _DATABASE,
            _BODY,
            _PROTOCOL,
            _TOKEN,
            {
                413: (ErrorCode.BATCH_TOO_LARGE,),
                422: (
                    ErrorCode.UNKNOWN_TABLE,
                    ErrorCode.UNKNOWN_FIELD,
                    ErrorCode.UNKNOWN_CODE,  # a pushed value outside its referential
                    ErrorCode.INVALID_VALUE,
                    ErrorCode.CHANGE_ID_REUSED,
                    ErrorCode.DUPLICATE_CHANGE_ID,
                    ErrorCode.SETTINGS_SERVER_ONLY,
                ),
            },
        ),
        tags=["synchronisation"],
    )
    def push(body: PushRequest, actor: Annotated[Actor, Depends(pushing_actor)]) -> Response:
        """Envoie des modifications de l'appareil; une réponse par modification."""
        _check_protocol(body.protocol)
        result = service.push(engine, settings, actor, body)
        return Response(content=result.model_dump_json(), media_type="application/json")

    @app.get(
        "/sync/pull",
        response_model=PullResponse,
        responses=_refusals(
            _WIRE,
            _DATABASE,
            _QUERY,
            _PROTOCOL,
            _TOKEN,
            _ACCOUNT,
            {410: (ErrorCode.CURSOR_UNKNOWN,)},
        ),
        tags=["synchronisation"],
    )
    def pull(
        actor: Annotated[Actor, Depends(current_actor)],
        since: Annotated[
            str, Query(max_length=120, description="Curseur (`next` de la page précédente).")
        ] = "0",
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
        counts: Annotated[
            Literal["always", "auto", "never"],
            Query(
                description=(
                    "Comptes par table du périmètre, joints à la dernière page : toujours, "
                    "seulement si la page apporte des modifications (auto), ou jamais."
                )
            ),
        ] = "always",
        protocol: int = PROTOCOL_VERSION,
        gen: Annotated[
            int | None,
            Query(ge=0, description="Génération de l'appareil (appareil restauré ?)."),
        ] = None,
        own: Annotated[
            bool, Query(description="Inclure les modifications de cet appareil lui-même.")
        ] = False,
    ) -> Response:
        """Les modifications visibles par l'utilisateur après le curseur, page par page."""
        _check_protocol(protocol)
        page = service.pull(engine, settings, actor, since, limit, counts, generation=gen, own=own)
        if not page.get("more"):
            # The directory's version rides on the last page: a sync with nothing to do
            # stays one round trip (issue 10).
            page["directory"] = directory_pull.head(engine)
            page["settings"] = department.head(engine)
        # Built through the protocol model (issue 9: bench/wire.py measures it faster than
        # json.dumps of the dict); a page the model refuses is a server bug, not sent.
        typed = PullResponse.model_validate(page)
        return Response(
            content=typed.model_dump_json(exclude_none=True), media_type="application/json"
        )

    @app.get(
        "/sync/directory",
        response_model=DirectoryPage,
        responses=_refusals(_WIRE, _DATABASE, _QUERY, _TOKEN, {410: (ErrorCode.CURSOR_UNKNOWN,)}),
        tags=["synchronisation"],
    )
    def directory(
        actor: Annotated[Actor, Depends(current_actor)],
        since: Annotated[
            str, Query(max_length=400, description="Curseur d'annuaire (`next` de la page).")
        ] = "0",
        limit: Annotated[int, Query(ge=1, le=directory_pull.MAX_PAGE)] = (
            directory_pull.DEFAULT_PAGE
        ),
    ) -> Response:
        """L'annuaire des partenaires du département (data·inclusion) après le curseur."""
        # The records' data as stored (validated at import), not parsed again: see
        # directory.pull_page_json; the response model documents the body.
        return Response(
            content=directory_pull.pull_page_json(engine, since, limit),
            media_type="application/json",
        )

    @app.get(
        "/sync/settings",
        response_model=DepartmentSettingsResponse,
        responses=_refusals(_WIRE, _DATABASE, _TOKEN),
        tags=["synchronisation"],
    )
    def department_settings(
        actor: Annotated[Actor, Depends(current_actor)],
    ) -> Response:
        """Les réglages du département (en-tête et logo des courriers, conservation, délais
        du parcours, consultation des notes sensibles par les responsables).

        Décidés sur le serveur (`spie-server admin settings`), en lecture seule sur les
        appareils : un envoi de `department_setting` est refusé (`settings_server_only`).
        La dernière page de `/sync/pull` en donne la version (`settings`)."""
        state = department.load(engine, settings)
        typed = DepartmentSettingsResponse.model_validate(
            {**department.wire(state), "server_time": settings.now()}
        )
        return Response(
            content=typed.model_dump_json(exclude_none=True), media_type="application/json"
        )

    @app.post(
        "/sync/handover",
        response_model=HandoverResponse,
        responses=_refusals(
            _WIRE,
            _DATABASE,
            _BODY,
            _PROTOCOL,
            _TOKEN,
            {
                403: (ErrorCode.OUT_OF_SCOPE, ErrorCode.READ_ONLY_ROLE),
                404: (ErrorCode.UNKNOWN_ROW,),
                409: (
                    ErrorCode.SAME_REFERENT,
                    ErrorCode.HANDOVER_STALE,
                    ErrorCode.REQUEST_ID_REUSED,
                    ErrorCode.PERSON_PURGED,
                    ErrorCode.CONSTRAINT_VIOLATION,
                ),
                422: (ErrorCode.INVALID_HANDOVER_TARGET,),
            },
            descriptions={
                403: "Appareil révoqué, compte désactivé, personne hors de votre périmètre, "
                "ou responsable sans équipe commune.",
                404: "Personne inconnue.",
                409: "Déjà suivie par ce référent, confiée à un autre entre-temps, effacée, "
                "ou identifiant de demande déjà utilisé.",
                422: "Contenu invalide, ou destinataire qui n'est pas un référent actif.",
            },
        ),
        tags=["synchronisation"],
    )
    def handover(
        body: HandoverRequest, actor: Annotated[Actor, Depends(current_actor)]
    ) -> HandoverResponse:
        """Confie une personne à un autre référent (passation validée par le serveur).

        Un référent confie une personne qu'il suit à un référent actif de son équipe; un
        responsable ou un administrateur, à un référent actif de n'importe quelle équipe.
        L'historique (`referent_assignment`) et l'auteur de la décision sont écrits par le
        serveur; les appareils reçoivent la passation par `/sync/pull`. Avec `request_id`,
        une demande renvoyée reçoit la réponse de la première (`replayed`), sans seconde
        passation.
        """
        _check_protocol(body.protocol)
        result = service.handover(engine, settings, actor, body)
        return HandoverResponse(
            assignment_id=result.assignment_id,
            person_id=result.person_id,
            referent_id=result.referent_id,
            replayed=result.replayed,
            server_time=settings.now(),
        )

    @app.post(
        "/sync/reveal",
        response_model=RevealResponse,
        responses=_refusals(
            _WIRE,
            _DATABASE,
            _BODY,
            _PROTOCOL,
            _TOKEN,
            _ACCOUNT,
            {
                400: (ErrorCode.REASON_REQUIRED, ErrorCode.INVALID_VALUE),
                403: (ErrorCode.REVEAL_FORBIDDEN, ErrorCode.OUT_OF_SCOPE),
                404: (ErrorCode.NOT_FOUND,),
            },
            descriptions={
                400: "Requête illisible, motif absent ou invalide.",
                403: "Appareil révoqué, compte désactivé, ou le département ne permet pas "
                "aux responsables de consulter les notes sensibles.",
                404: "Note inconnue ou hors de votre périmètre.",
            },
        ),
        tags=["synchronisation"],
    )
    def reveal(
        body: RevealRequest, actor: Annotated[Actor, Depends(current_actor)]
    ) -> RevealResponse:
        """Le texte d'une note sensible, pour un responsable qui voit la personne.

        Son appareil ne reçoit jamais ce texte par `/sync/pull` (il y trouve un texte
        réservé). Si le département le permet, le motif est exigé (`reason_required`) et
        écrit au journal d'audit par le serveur; la réponse porte le texte de cette note
        seulement."""
        _check_protocol(body.protocol)
        result = sensitive.reveal(engine, settings, actor, body.note_id, body.reason)
        return RevealResponse(
            note_id=result.note_id,
            person_id=result.person_id,
            text=result.text,
            server_time=settings.now(),
        )

    @app.get(
        "/audit/events",
        response_model=AuditPage,
        responses=_refusals(
            _WIRE,
            _DATABASE,
            _QUERY,
            _PROTOCOL,
            _TOKEN,
            {
                403: (
                    ErrorCode.SUPERVISOR_ONLY,
                    ErrorCode.OUT_OF_SCOPE,
                    ErrorCode.TEAM_OUT_OF_SCOPE,
                ),
            },
            descriptions={
                403: "Appareil révoqué, compte désactivé; réservé aux responsables; personne "
                "ou équipe hors de votre périmètre.",
            },
        ),
        tags=["audit"],
    )
    def audit_events(
        actor: Annotated[Actor, Depends(current_actor)],
        person: Annotated[uuid.UUID | None, Query(description="Une personne suivie.")] = None,
        user: Annotated[
            str | None, Query(max_length=100, description="L'identifiant d'un compte.")
        ] = None,
        action: Annotated[AuditKind | None, Query(description="Le type d'événement.")] = None,
        since: Annotated[date | None, Query(description="Premier jour (heure de Paris).")] = None,
        until: Annotated[date | None, Query(description="Dernier jour (inclus).")] = None,
        team: Annotated[uuid.UUID | None, Query(description="Une équipe encadrée.")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_AUDIT_LIMIT)] = DEFAULT_AUDIT_LIMIT,
        protocol: int = PROTOCOL_VERSION,
    ) -> Response:
        """Le journal d'audit de l'équipe, pour son responsable : qui a ouvert, modifié,
        exporté, imprimé ou consulté quel dossier, des plus récents aux plus anciens.

        Périmètre : les personnes que le responsable voit, et les événements sans personne
        (un export d'équipe…) des membres des équipes qu'il encadre."""
        _check_protocol(protocol)
        query = team_audit.AuditQuery(
            person_id=person,
            username=user.strip() or None if user is not None else None,
            action=action,
            since=since,
            until=until,
            team_id=team,
            limit=limit,
        )
        page = team_audit.team_events(engine, settings, actor, query)
        return Response(content=page.model_dump_json(), media_type="application/json")

    @app.post(
        "/sync/diff",
        response_model=DiffResponse,
        responses=_refusals(_WIRE, _DATABASE, _BODY, _PROTOCOL, _TOKEN),
        tags=["synchronisation"],
    )
    def diff(body: DiffRequest, actor: Annotated[Actor, Depends(current_actor)]) -> Response:
        """Réconciliation : les lignes de l'appareil que le serveur n'a pas, ou a dans un
        état plus ancien (serveur restauré d'une sauvegarde)."""
        _check_protocol(body.protocol)
        result = service.diff(engine, actor, body)
        return Response(content=result.model_dump_json(), media_type="application/json")

    @app.post(
        "/sync/tombstones",
        response_model=TombstonesResponse,
        responses=_refusals(_WIRE, _DATABASE, _BODY, _PROTOCOL, _TOKEN),
        tags=["synchronisation"],
    )
    def tombstones(
        body: TombstonesRequest, actor: Annotated[Actor, Depends(current_actor)]
    ) -> Response:
        """Effacements présentés à nouveau : l'appareil ne reconnaît plus son curseur
        (serveur restauré d'une sauvegarde) et montre les effacements qu'il a reçus. Chacun
        dont la signature est celle de ce serveur et qu'il ne connaît plus est appliqué à
        nouveau (journal d'administration) ; une signature invalide est refusée
        (`tombstone_invalid`), rien n'est effacé."""
        _check_protocol(body.protocol)
        result = service.tombstones(engine, settings, actor, body)
        return Response(content=result.model_dump_json(), media_type="application/json")

    @app.get(
        "/sync/digests",
        response_model=DigestsResponse,
        responses=_refusals(_WIRE, _DATABASE, _QUERY, _PROTOCOL, _TOKEN, _ACCOUNT),
        tags=["synchronisation"],
    )
    def digests(
        actor: Annotated[Actor, Depends(current_actor)], protocol: int = PROTOCOL_VERSION
    ) -> Response:
        """Vérification : l'empreinte de chaque dossier du périmètre (« lignes:somme » des
        horloges de ses lignes), quand celle du périmètre diffère de celle de l'appareil."""
        _check_protocol(protocol)
        result = service.digests(engine, actor)
        return Response(content=result.model_dump_json(), media_type="application/json")

    @app.post(
        "/sync/files",
        response_model=FilesResponse,
        responses=_refusals(_WIRE, _DATABASE, _BODY, _PROTOCOL, _TOKEN, _ACCOUNT),
        tags=["synchronisation"],
    )
    def files(body: FilesRequest, actor: Annotated[Actor, Depends(current_actor)]) -> Response:
        """Réparation : les dossiers entiers de personnes du périmètre dont l'empreinte
        diffère (les personnes hors périmètre sont listées dans « missing »)."""
        _check_protocol(body.protocol)
        result = service.files(engine, settings, actor, body)
        return Response(
            content=result.model_dump_json(exclude_none=True), media_type="application/json"
        )

    app.add_middleware(
        WireMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_decompressed_bytes=settings.max_decompressed_bytes,
        compress_min_bytes=settings.compress_min_bytes,
    )
    app.add_middleware(GuardMiddleware)  # outermost: catches what nothing else named

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = _narrow_refusals(_strict_openapi(document))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _narrow_refusals(document: dict[str, Any]) -> dict[str, Any]:
    """Each refusal's ``ErrorBody`` with ``code`` narrowed to the codes the operation
    answers with that status (a generated client knows them; a validator refuses others)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                codes = response.get(REFUSAL_CODES_KEY)
                content = response.get("content", {}).get("application/json")
                if codes is None or content is None:
                    continue
                content["schema"] = {
                    "allOf": [
                        {"$ref": "#/components/schemas/ErrorBody"},
                        {
                            "type": "object",
                            "properties": {"code": {"type": "string", "enum": codes}},
                            "additionalProperties": True,
                        },
                    ]
                }
    return document


def _strict_openapi(node: Any) -> Any:
    """The wire's tuples (fixed-length arrays) as every OpenAPI 3.1 tool reads them: an
    array of exactly N items, each one of the tuple's item schemas (``prefixItems`` is
    still refused by some generators and validators)."""
    if isinstance(node, dict):
        fixed = {key: _strict_openapi(value) for key, value in node.items()}
        tuple_items = fixed.pop("prefixItems", None)
        if isinstance(tuple_items, list):
            fixed["items"] = {"anyOf": tuple_items}
            fixed["minItems"] = fixed["maxItems"] = len(tuple_items)
        return fixed
    if isinstance(node, list):
        return [_strict_openapi(value) for value in node]
    return node
