"""Label Studio through its SDK (``label-studio-sdk`` 2.x): projects, batched imports, exports.

``StudioClient`` adds what the toolkit needs on top of the SDK: exact project
titles (the API's ``title`` filter matches substrings), imports in batches
with retries that never duplicate a task, and errors that say what to do
without ever showing the API token.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from toolkit.errors import ToolkitError
from toolkit.studio import server
from toolkit.studio.contract import record_id_of
from toolkit.studio.export_stream import StreamError, iter_tasks
from toolkit.studio.server import Credentials

if TYPE_CHECKING:
    from label_studio_sdk import LabelStudio

# label_studio_sdk is imported where a client is opened, not here: importing
# it takes about 1.4 s (pandas, its label interface), which every `toolkit`
# command paid at start-up, `toolkit translate` included, since the CLI
# imports each command's module.

T = TypeVar("T")


class StudioError(ToolkitError, RuntimeError):
    """Label Studio cannot be used as asked; the message says what to do (and never holds the token)."""


# What every message about a refused or unusable token ends with.
NEW_TOKEN = (
    "make a new one in Label Studio (Account & Settings) or set LABEL_STUDIO_API_KEY "
    "(with `toolkit studio start`: its credentials file)"
)


def _unusable_token(token: str) -> str | None:
    """Why ``token`` cannot even be sent (it goes into an HTTP header), or None."""
    if not token.strip():
        return "is empty"
    if not token.isascii() or not token.isprintable() or any(c.isspace() for c in token):
        return "holds characters a token cannot have (spaces, line breaks or non-ASCII letters)"
    return None


def _open_sdk(url: str, token: str, timeout: float) -> LabelStudio:
    """The SDK's client; a token it refuses already here is a ``StudioError`` instead of a traceback.

    label-studio-sdk 2.x decodes a JWT token (a personal access token) in its
    constructor: an expired one or one without expiry raises ``ApiError``
    (401), a claim it cannot read (``exp`` not a number, out of range) a
    ``TypeError``/``OverflowError``/``ValueError``. A legacy token (40 hex) is
    not decoded.
    """
    from label_studio_sdk import LabelStudio
    from label_studio_sdk.core.api_error import ApiError

    why = _unusable_token(token)
    if why:
        raise StudioError(f"the API token for {server.redact_url(url)} {why}: {NEW_TOKEN}")
    try:
        # max_retries=0: the SDK would otherwise resend any request, an import
        # included, after a 5xx or a dropped connection, although the server may
        # have done the work: that imports a batch twice. We retry ourselves,
        # idempotent calls in ``StudioClient._call`` and imports only after
        # re-reading the project (``_push_batch``).
        return LabelStudio(base_url=url, api_key=token, timeout=timeout, max_retries=0)
    except ApiError as e:
        raise StudioError(
            f"token refused before any request to {server.redact_url(url)}: {_detail(e.body)}; {NEW_TOKEN}"
        ) from None
    except (TypeError, ValueError, OverflowError):
        raise StudioError(
            f"the API token for {server.redact_url(url)} looks like a JWT whose claims cannot be read "
            f"(its expiry is not a valid time): {NEW_TOKEN}"
        ) from None


def resolve_credentials(data_dir: str | Path | None = None) -> Credentials:
    """``LABEL_STUDIO_URL`` + ``LABEL_STUDIO_API_KEY`` if set, else the local server's credentials file."""
    url = os.environ.get("LABEL_STUDIO_URL")
    key = os.environ.get("LABEL_STUDIO_API_KEY")
    if url and key:
        return Credentials(url=url.rstrip("/"), token=key)
    if url or key:
        missing = "LABEL_STUDIO_API_KEY" if url else "LABEL_STUDIO_URL"
        raise StudioError(
            f"{missing} is not set: set both LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY, or neither to use `toolkit studio start`"
        )
    creds = server.read_credentials(data_dir)
    if creds is None:
        raise StudioError(
            "no Label Studio configured: run `toolkit studio start`, or set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY"
        )
    st = server.status(data_dir)
    if not st["running"]:
        raise StudioError(
            f"the local Label Studio is not running (data folder {st['data_dir']}): run `toolkit studio start`"
        )
    return creds


@dataclass
class ExistingTask:
    id: int
    key: str
    annotations: int


@dataclass
class PushSummary:
    project_id: int
    project_url: str
    created_project: bool = False
    added: int = 0
    skipped: int = 0
    updated: int = 0
    kept_annotated: int = 0  # changed texts on a task already annotated: left alone
    errors: list[str] = field(default_factory=list)


class StudioClient:
    """A connection to one Label Studio server."""

    def __init__(self, creds: Credentials, batch_size: int = 200, retries: int = 3, timeout: float = 120.0):
        self.url = creds.url.rstrip("/")
        self.batch_size = batch_size
        self.retries = max(1, retries)
        self.timeout = timeout
        self.shown_url = server.redact_url(self.url)  # for messages: no password
        self._ls = _open_sdk(self.url, creds.token, timeout)

    # -- errors ------------------------------------------------------------
    def _call(self, what: str, fn: Callable[[], T], retry: bool = True) -> T:
        """Run an SDK call; turn its failures into one clear ``StudioError``.

        Connection problems and 5xx answers are retried with backoff when
        ``retry`` (callers pass False where a retry could duplicate data).
        """
        from label_studio_sdk.core.api_error import ApiError  # loaded by _open_sdk already

        attempts = self.retries if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                return fn()
            except ApiError as e:
                status = e.status_code or 0
                if status in (401, 403):
                    raise StudioError(
                        f"token rejected by the server: Label Studio at {self.shown_url} refused the API token ({status}) "
                        f"while trying to {what}; {NEW_TOKEN}"
                    ) from None
                if status < 500 or attempt == attempts:
                    raise StudioError(
                        f"Label Studio at {self.shown_url} could not {what} ({status}): {_detail(e.body)}"
                    ) from None
            except json.JSONDecodeError:  # e.g. the SDK's token refresh reading an HTML error page
                raise StudioError(
                    f"Label Studio at {self.shown_url} sent an answer that is not JSON while trying to {what}: "
                    "check LABEL_STUDIO_URL points at Label Studio itself"
                ) from None
            except httpx.TransportError as e:  # refused, reset, dropped, timed out
                if attempt == attempts and isinstance(e, httpx.TimeoutException):
                    raise StudioError(
                        f"Label Studio at {self.shown_url} timed out after {self.timeout:g}s ({attempts} tries) while trying to "
                        f"{what}: check it answers (`toolkit studio status`) or pass a larger --timeout, then run the "
                        "command again (what was done is kept)"
                    ) from None
                if attempt == attempts:
                    raise StudioError(
                        f"Label Studio at {self.shown_url} is not reachable while trying to {what}: start it with "
                        "`toolkit studio start` or check LABEL_STUDIO_URL, then run the command again"
                    ) from None
            time.sleep(min(2**attempt, 10))
        raise AssertionError("unreachable")

    def check(self) -> None:
        """Fail early, clearly, if the server is down or the token is wrong."""
        # A server that is up answers within a few tries; one lost answer is not an outage.
        for attempt in range(1, self.retries + 1):
            if server.healthy(self.url, timeout=min(5.0, self.timeout)):
                break
            if attempt < self.retries:
                time.sleep(min(2**attempt, 10))
        else:
            raise StudioError(
                f"Label Studio at {self.shown_url} is not answering: start it with `toolkit studio start` or check LABEL_STUDIO_URL"
            )
        self._call("read the current user", lambda: self._ls.users.whoami())

    # -- projects ----------------------------------------------------------
    def find_project(self, title: str) -> Any | None:
        """The project titled exactly ``title``; None if none; ``StudioError`` if several."""
        matches = [
            p
            for p in self._call("list projects", lambda: list(self._ls.projects.list(title=title)))
            if p.title == title
        ]
        if len(matches) > 1:
            ids = ", ".join(str(p.id) for p in matches)
            raise StudioError(
                f"{len(matches)} projects are titled {title!r} (ids {ids}): rename or delete all but one in Label Studio"
            )
        return matches[0] if matches else None

    def ensure_project(self, title: str, label_config: str, description: str = "") -> tuple[Any, bool]:
        """The project titled ``title``, created with ``label_config`` if missing; (project, created)."""
        project = self.find_project(title)
        if project is None:
            return self._create_project(title, label_config, description), True
        if (project.label_config or "").strip() != label_config.strip():
            # The run's targets may differ from the project's: Label Studio refuses a
            # config that would orphan existing labels, and says so; we pass that on.
            self._call(
                f"update the labeling config of project {title!r}",
                lambda: self._ls.projects.update(id=project.id, label_config=label_config),
                retry=False,
            )
        return project, False

    def _create_project(self, title: str, label_config: str, description: str) -> Any:
        for attempt in range(1, self.retries + 1):
            try:
                return self._call(
                    f"create project {title!r}",
                    lambda: self._ls.projects.create(title=title, label_config=label_config, description=description),
                    retry=False,
                )
            except StudioError:
                if attempt == self.retries:
                    raise
                time.sleep(min(2**attempt, 10))
                # The answer may have been lost after the server created it: look before creating again.
                project = self.find_project(title)
                if project is not None:
                    return project
        raise AssertionError("unreachable")

    def project_url(self, project_id: int) -> str:
        return f"{self.shown_url}/projects/{project_id}/data"  # printed: no password

    # -- tasks -------------------------------------------------------------
    def existing_tasks(self, project_id: int) -> dict[str, ExistingTask]:
        """The project's tasks that carry a toolkit key, by record id."""

        def fetch() -> dict[str, ExistingTask]:
            # Page by page, keeping only the keys: holding every task's data and
            # predictions would grow the push's memory with the project.
            out: dict[str, ExistingTask] = {}
            for task in self._ls.tasks.list(project=project_id, fields="task_only", page_size=500):
                data = task.data or {}
                key = data.get("key") if isinstance(data, dict) else None
                if isinstance(key, str):
                    n = int(getattr(task, "total_annotations", 0) or 0)
                    out[record_id_of(key)] = ExistingTask(id=task.id, key=key, annotations=n)
            return out

        return self._call("list the project's tasks", fetch)

    def _import(self, project_id: int, batch: list[dict[str, Any]]) -> int:
        resp = self._ls.projects.import_tasks(project_id, request=batch, return_task_ids=True)
        return int(getattr(resp, "task_count", None) or len(batch))

    def push(
        self, project: Any, tasks: Iterable[dict[str, Any]], progress: Callable[[int], None] | None = None
    ) -> PushSummary:
        """Import ``tasks`` (from ``toolkit.studio.tasks``) that the project lacks; update changed ones.

        A task whose record id and texts are already there is skipped; one
        whose texts changed is updated in place (data and predictions) if
        nobody annotated it yet, else left alone and counted in
        ``kept_annotated``. A failed batch is retried after re-reading the
        project, so a batch that did arrive is never imported twice.
        """
        summary = PushSummary(project_id=project.id, project_url=self.project_url(project.id))
        existing = self.existing_tasks(project.id)
        batch: list[dict[str, Any]] = []
        for task in tasks:
            key = task["data"]["key"]
            rid = record_id_of(key)
            have = existing.get(rid)
            if have is None:
                batch.append(task)
                existing[rid] = ExistingTask(id=-1, key=key, annotations=0)  # a duplicate record in the run
                if len(batch) >= self.batch_size:
                    summary.added += self._push_batch(project.id, batch, progress)
                    batch = []
            elif have.key == key:
                summary.skipped += 1
            elif have.annotations > 0:
                summary.kept_annotated += 1
            elif have.id > 0:
                self._update(have.id, project.id, task)
                have.key = key
                summary.updated += 1
        if batch:
            summary.added += self._push_batch(project.id, batch, progress)
        return summary

    def _push_batch(self, project_id: int, batch: list[dict[str, Any]], progress: Callable[[int], None] | None) -> int:
        for attempt in range(1, self.retries + 1):
            try:
                n = self._call(f"import {len(batch)} tasks", lambda b=batch: self._import(project_id, b), retry=False)
                if progress:
                    progress(n)
                return n
            except StudioError:
                if attempt == self.retries:
                    raise
                time.sleep(min(2**attempt, 10))
                # The request may have reached the server before it failed: keep only what is missing.
                present = {t.key for t in self.existing_tasks(project_id).values()}
                batch = [t for t in batch if t["data"]["key"] not in present]
                if not batch:
                    return 0
        return 0

    def _update(self, task_id: int, project_id: int, task: dict[str, Any]) -> None:
        self._call(f"update task {task_id}", lambda: self._ls.tasks.update(id=str(task_id), data=task["data"]))
        for old in self._call(f"list predictions of task {task_id}", lambda: self._ls.predictions.list(task=task_id)):
            self._call(f"delete prediction {old.id}", lambda o=old: self._ls.predictions.delete(id=o.id))
        for pred in task.get("predictions", []):
            self._call(
                f"add a prediction to task {task_id}",
                lambda p=pred: self._ls.predictions.create(
                    task=task_id, result=p["result"], model_version=p.get("model_version"), project=project_id
                ),
                retry=False,
            )

    def user_emails(self) -> dict[int, str]:
        """{user id: email} of the server's users: the export names annotators by id only."""
        users = self._call("list its users", lambda: list(self._ls.users.list()))
        return {u.id: u.email for u in users if isinstance(u.id, int) and u.email}

    # -- export ------------------------------------------------------------
    def export_to(
        self, project_id: int, path: str | Path, all_tasks: bool = False, ids: Sequence[int] | None = None
    ) -> None:
        """Download the project's Label Studio JSON export into ``path``, chunk by chunk (never whole in memory).

        Annotated tasks only unless ``all_tasks``; only the tasks ``ids`` when
        given (what ``toolkit serve`` pulls after a webhook). A retried
        download starts the file again. Read it with ``iter_export``.
        """
        only = {"ids": [str(i) for i in ids]} if ids is not None else {}

        def fetch() -> None:
            chunks = self._ls.projects.exports.download_sync(
                project_id, export_type="JSON", download_all_tasks=all_tasks, **only
            )
            with open(path, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)

        self._call("export the project", fetch)

    def iter_export(self, path: str | Path) -> Iterator[Any]:
        """The tasks of an export ``export_to`` wrote, one at a time; a file that is no list is a ``StudioError``."""
        try:
            yield from iter_tasks(path)
        except StreamError as e:
            what = "is not a list of tasks" if e.not_a_list else f"is not JSON ({e.msg})"
            raise StudioError(f"Label Studio at {self.shown_url} sent an export that {what}") from None
        except UnicodeDecodeError as e:
            raise StudioError(
                f"Label Studio at {self.shown_url} sent an export that is not UTF-8 ({e.reason})"
            ) from None

    # -- ML backend (``toolkit serve``) -------------------------------------
    def connect_ml_backend(
        self, project_id: int, url: str, title: str, basic_auth: tuple[str, str] | None = None
    ) -> tuple[Any, bool]:
        """Register the backend at ``url`` with the project (once: one already there is kept); (backend, created)."""
        found = self._call("list the project's ML backends", lambda: list(self._ls.ml.list(project=project_id)))
        for ml in found:
            if (ml.url or "").rstrip("/") == url.rstrip("/"):
                return ml, False
        auth: dict[str, Any] = {}
        if basic_auth is not None:
            auth = {"auth_method": "BASIC_AUTH", "basic_auth_user": basic_auth[0], "basic_auth_pass": basic_auth[1]}
        ml = self._call(
            f"connect the ML backend at {server.redact_url(url)}",
            lambda: self._ls.ml.create(project=project_id, url=url, title=title, auto_update=True, **auth),
            retry=False,
        )
        return ml, True

    def show_predictions_of(self, project_id: int, model_version: str) -> None:
        """Make the project fetch and show predictions of ``model_version`` (an ML backend's title or a version)."""
        self._call(
            "turn on predictions",
            lambda: self._ls.projects.update(id=project_id, show_collab_predictions=True, model_version=model_version),
        )

    def task_ids(self, project_id: int) -> list[int]:
        return self._call(
            "list the project's tasks",
            lambda: [t.id for t in self._ls.tasks.list(project=project_id, fields="task_only", page_size=500)],
        )

    def retrieve_predictions(self, project_id: int, task_ids: Sequence[int]) -> None:
        """The data manager's "Retrieve Predictions" on ``task_ids``: Label Studio asks its ML backend for
        the tasks that hold no prediction of the backend's current version."""
        from label_studio_sdk.actions.types import PrepareParamsRequestRequestSelectedItemsIncluded

        chosen = PrepareParamsRequestRequestSelectedItemsIncluded(all=False, included=list(task_ids))
        self._call(
            f"retrieve predictions for {len(task_ids)} tasks",
            lambda: self._ls.actions.create(id="retrieve_tasks_predictions", project=project_id, selected_items=chosen),
        )

    def export(self, project_id: int, all_tasks: bool = False) -> list[dict[str, Any]]:
        """The project's Label Studio JSON export as one list (``export_to`` + ``iter_export`` stream it)."""
        with tempfile.TemporaryDirectory(prefix="toolkit-export-") as tmp:
            path = Path(tmp) / "export.json"
            self.export_to(project_id, path, all_tasks)
            return list(self.iter_export(path))


def _detail(body: Any) -> str:
    if isinstance(body, dict):
        for k in ("detail", "validation_errors", "message"):
            if body.get(k):
                return str(body[k])[:300]
    return str(body)[:300]
