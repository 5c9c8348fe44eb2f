"""The ML backend's HTTP side: Label Studio's protocol on Starlette.

As Label Studio 1.23 speaks it (``label_studio/ml/api_connector.py`` and
``models.py``):

- ``GET /health`` (Label Studio waits 1 s): ``{"status": "UP", ...}`` and
  what learning is doing (the served version, a retrain under way, the last
  failure, events waiting for Label Studio).
- ``POST /setup`` (3 s) ``{project: "<id>.<created_at>", schema, hostname,
  access_token, extra_params}``: answers ``{"model_version"}``. Label Studio
  calls it before every prediction batch and takes the version it answers
  (``auto_update``): a swapped model is seen at the next batch.
- ``POST /predict`` (100 s) ``{tasks, project, label_config, params}``:
  ``{"results": [...]}``, exactly one per task, in order (Label Studio drops a
  batch whose count differs), each with ``result``, ``score`` and
  ``model_version`` (``toolkit.backend.predict``). The served model is read
  once per request, so one batch is one version.
- ``POST /webhook``: ``ANNOTATION_CREATED``, ``ANNOTATIONS_CREATED``,
  ``ANNOTATION_UPDATED`` and ``ANNOTATIONS_DELETED`` are written to disk and
  acknowledged (the pull and the retrain are the learner's, in the
  background); ``START_TRAINING`` asks for a retrain now; every other event
  is answered at once and dropped.

A request that is not what the protocol says gets a 4xx with one line that
names what is wrong (413 too large, 400 not JSON, 422 a field missing or of
the wrong type) and changes nothing. With ``auth`` set every request needs it
(HTTP Basic, what Label Studio sends, or a bearer token): ``toolkit serve``
requires it for an address other than loopback.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from toolkit.backend.learner import Learner
from toolkit.backend.predict import predict_task, read_label_config
from toolkit.errors import ToolkitError
from toolkit.studio.server import Credentials
from toolkit.studio.tasks import FigureFinder

MAX_BODY = 64 * 1024 * 1024  # a /predict batch of a few thousand tasks; more is a mistake
LEARN_ACTIONS = ("ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_DELETED")


class AuthError(ToolkitError, ValueError):
    """A backend secret that cannot be used."""


class BadRequest(Exception):
    """A request the protocol does not allow: its status and one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Auth:
    """Who may call the backend: HTTP Basic ``user``/``password``, or a bearer ``token``."""

    user: str = ""
    password: str = ""
    token: str = ""

    @classmethod
    def parse(cls, secret: str) -> Auth:
        """``user:password`` (HTTP Basic, what Label Studio sends) or a bare token (``Authorization: Bearer``)."""
        secret = secret.strip()
        if not secret:
            raise AuthError("the backend's secret is empty: write USER:PASSWORD (or a token)")
        user, colon, password = secret.partition(":")
        if colon:
            if not user or not password:
                raise AuthError("the backend's secret must be USER:PASSWORD with both parts, or a token")
            return cls(user=user, password=password)
        return cls(token=secret)

    def allows(self, header: str | None) -> bool:
        if not header:
            return False
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and self.token:
            return hmac.compare_digest(value.strip().encode(), self.token.encode())
        if scheme.lower() == "basic" and self.user:
            try:
                given = base64.b64decode(value.strip(), validate=True)
            except (binascii.Error, ValueError):
                return False
            return hmac.compare_digest(given, f"{self.user}:{self.password}".encode())
        return False


class SetupCredentials:
    """The ``hostname`` and ``access_token`` of the last ``/setup``: how to pull when nothing else is configured."""

    def __init__(self) -> None:
        self.creds: Credentials | None = None

    def __repr__(self) -> str:  # the token never shows
        return f"SetupCredentials(url={self.creds.url if self.creds else None!r})"


async def read_json(request: Request) -> dict[str, Any]:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise BadRequest(413, f"request body of {int(declared)} bytes is over the limit of {MAX_BODY}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise BadRequest(413, f"request body is over the limit of {MAX_BODY} bytes")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise BadRequest(400, f"request body is not UTF-8 (byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise BadRequest(400, f"request body is not JSON (line {e.lineno} column {e.colno}: {e.msg})") from None
    except RecursionError:
        raise BadRequest(400, "request body is nested too deeply") from None
    if not isinstance(data, dict):
        raise BadRequest(422, f"request body must be a JSON object, not {type(data).__name__}")
    return data


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise BadRequest(422, f"{what} must be an id (a whole number), not {json.dumps(value)[:60]}")
    return int(value)


def _id_of(value: Any, what: str) -> int:
    """An id given as a number or as an object with ``id`` (Label Studio nests either)."""
    return _int(value.get("id") if isinstance(value, dict) else value, what)


def project_id(value: Any) -> int | None:
    """The id in ``/setup``'s and ``/predict``'s ``project`` ("<id>.<created_at>"), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    head = str(value or "").split(".", 1)[0]
    return int(head) if head.isdigit() else None


def webhook_event(body: dict[str, Any]) -> dict[str, Any]:
    """A learning event as the learner stores it: the tasks to pull (or the annotations deleted)."""
    action = body["action"]
    project = body.get("project")
    if action == "ANNOTATIONS_DELETED":
        anns = body.get("annotations")
        if not isinstance(anns, list) or not anns:
            raise BadRequest(422, f"{action} needs 'annotations', a non-empty list of {{'id': ...}}")
        return {"action": action, "refs": [], "annotation_ids": [_id_of(a, "annotations[].id") for a in anns]}
    anns = body.get("annotation")
    tasks = body.get("task")
    if action == "ANNOTATIONS_CREATED":
        if not isinstance(anns, list) or not anns:
            raise BadRequest(422, f"{action} needs 'annotation', a non-empty list of annotations")
    else:
        if not isinstance(anns, dict):
            raise BadRequest(422, f"{action} needs 'annotation', an object")
        anns, tasks = [anns], [tasks] if tasks is not None else None
    refs = []
    for i, ann in enumerate(anns):
        if not isinstance(ann, dict):
            raise BadRequest(422, f"{action}: annotation #{i} is not an object")
        task = ann.get("task")
        if task is None and isinstance(tasks, list) and i < len(tasks):
            task = tasks[i]
        proj = project if project is not None else ann.get("project")
        if proj is None:
            raise BadRequest(422, f"{action}: no project id (neither 'project' nor annotation.project)")
        refs.append([_id_of(proj, "project"), _id_of(task, "annotation.task")])
    return {"action": action, "refs": refs, "annotation_ids": []}


def create_app(
    learner: Learner,
    figure_finder: FigureFinder | None,
    auth: Auth | None = None,
    setup_credentials: SetupCredentials | None = None,
    run_learner: bool = True,
) -> Starlette:
    """The backend's ASGI app; with ``run_learner`` its lifespan starts and stops the learner's thread."""

    def answer(fn):
        async def endpoint(request: Request) -> JSONResponse:
            if auth is not None and not auth.allows(request.headers.get("authorization")):
                return JSONResponse(
                    {"error": "authentication required: HTTP Basic user and password, or a bearer token"},
                    status_code=401,
                    headers={"WWW-Authenticate": 'Basic realm="toolkit backend"'},
                )
            try:
                return JSONResponse(await fn(request))
            except BadRequest as e:
                return JSONResponse({"error": str(e)}, status_code=e.status)

        return endpoint

    async def health(request: Request) -> dict[str, Any]:
        return {"status": "UP", "model_class": "toolkit.extractor", **learner.health()}

    async def setup(request: Request) -> dict[str, Any]:
        body = await read_json(request)
        pid = project_id(body.get("project"))
        if pid is not None:
            learner.add_project(pid)
        host, token = body.get("hostname"), body.get("access_token")
        if setup_credentials is not None and isinstance(host, str) and isinstance(token, str) and host and token:
            setup_credentials.creds = Credentials(url=host.rstrip("/"), token=token)
        return {"model_version": learner.served.version}

    async def predict(request: Request) -> dict[str, Any]:
        body = await read_json(request)
        tasks = body.get("tasks")
        if not isinstance(tasks, list):
            raise BadRequest(422, "'tasks' must be a list of tasks")
        for i, task in enumerate(tasks):
            if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
                raise BadRequest(422, f"task #{i} is not a Label Studio task (an object with a 'data' object)")
        config_xml = body.get("label_config")
        if config_xml is not None and not isinstance(config_xml, str):
            raise BadRequest(422, "'label_config' must be the labeling config's XML text")
        try:
            config = read_label_config(config_xml)
        except Exception as e:  # noqa: BLE001 - any XML parser error is the request's fault
            raise BadRequest(422, f"'label_config' is not XML ({e})") from None
        served = learner.served  # once: one batch, one model

        def one(task: dict[str, Any]) -> dict[str, Any]:
            try:
                return predict_task(task, served.extractor, figure_finder, config)
            except Exception as e:  # noqa: BLE001 - one task's failure must not drop the batch (Label Studio would)
                learner.home.log(f"predict: task {task.get('id')} failed ({type(e).__name__}: {e}); empty result sent")
                return {"result": [], "score": 0.0, "model_version": served.version}

        def run() -> list[dict[str, Any]]:
            return [one(t) for t in tasks]

        results = await run_in_threadpool(run)
        return {"results": results, "model_version": served.version}

    async def webhook(request: Request) -> dict[str, Any]:
        body = await read_json(request)
        action = body.get("action")
        if not isinstance(action, str):
            raise BadRequest(422, "a webhook needs 'action', the event's name")
        if action == "START_TRAINING":
            learner.train_now()
            return {"status": "training scheduled", "model_version": learner.served.version}
        if action not in LEARN_ACTIONS:
            return {"status": "ignored", "action": action}
        event = webhook_event(body)
        await run_in_threadpool(learner.home.add_event, event)  # on disk before the answer
        learner.notify()
        return {"status": "queued", "action": action}

    async def train(request: Request) -> dict[str, Any]:
        await read_json(request)
        learner.train_now()
        return {"status": "training scheduled"}

    async def versions(request: Request) -> dict[str, Any]:
        names = sorted(p.name for p in learner.home.models.iterdir() if p.name.startswith("v"))
        return {"versions": names, "served": learner.served.version}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if run_learner:
            learner.start()
        try:
            yield
        finally:
            if run_learner:
                learner.stop()

    routes = [
        Route("/health", answer(health), methods=["GET"]),
        Route("/", answer(health), methods=["GET"]),
        Route("/setup", answer(setup), methods=["POST"]),
        Route("/predict", answer(predict), methods=["POST"]),
        Route("/webhook", answer(webhook), methods=["POST"]),
        Route("/train", answer(train), methods=["POST"]),
        Route("/versions", answer(versions), methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
