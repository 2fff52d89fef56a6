"""``Sandbox``: create, use and end a sandbox; its files, previews and artifacts."""

from __future__ import annotations

import functools
import json
import time
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterable
from urllib.parse import quote

from ._http import Transport
from .commands import CommandResult, Commands
from .errors import ConflictError, NotFoundError


def _page(answer: Any) -> list:
    return answer.get("data", []) if isinstance(answer, dict) else answer


class Files:
    """The sandbox's /workspace (paths relative to it or absolute under it)."""

    def __init__(self, http: Transport, sandbox_id: str):
        self._http, self.path = http, f"/v1/sandboxes/{quote(sandbox_id, safe='')}/files"

    def write(self, path: str, content: str | bytes | BinaryIO | Iterable[bytes]) -> dict:
        """Writes a file (parents made); a file object or an iterable of bytes is streamed."""
        return self._http.json("PUT", self.path, query={"path": path}, data=content,
                               headers={"content-type": "application/octet-stream"})

    def read(self, path: str, format: str = "text"):
        """Text (default), ``bytes``, or ``stream`` (the open answer: read() it, then close it)."""
        res = self._http.send("GET", self.path, query={"path": path})
        if format == "stream":
            return res
        with res:
            raw = res.read()
        return raw if format == "bytes" else raw.decode("utf-8")

    def list(self, path: str = ".") -> list[dict]:
        return self._http.json("GET", f"{self.path}/list", query={"path": path})["entries"]

    def mkdir(self, path: str) -> Any:
        return self._http.json("POST", f"{self.path}/mkdir", query={"path": path}, idempotent=True)

    def move(self, source: str, target: str) -> Any:
        return self._http.json("POST", f"{self.path}/move", query={"from": source, "to": target}, idempotent=True)

    def remove(self, path: str) -> None:
        self._http.json("DELETE", self.path, query={"path": path}, idempotent=True)

    def upload_url(self, path: str, expires_in_seconds: int | None = None) -> dict:
        return self._http.json("POST", f"{self.path}/upload-url", json_body={"path": path, "expiresInSeconds": expires_in_seconds})

    def download_url(self, path: str, expires_in_seconds: int | None = None) -> dict:
        return self._http.json("POST", f"{self.path}/download-url", json_body={"path": path, "expiresInSeconds": expires_in_seconds})


class Previews:
    def __init__(self, http: Transport, sandbox_id: str):
        self._http, self.path = http, f"/v1/sandboxes/{quote(sandbox_id, safe='')}/previews"

    def create(self, port: int) -> dict:
        """The port's preview as the API answers it ({id, port, url, ...})."""
        return self._http.json("POST", self.path, json_body={"port": port}, idempotent=True)

    def list(self) -> list[dict]:
        return _page(self._http.json("GET", self.path))

    def get(self, preview_id: str) -> dict:
        return self._http.json("GET", f"{self.path}/{quote(preview_id, safe='')}")

    def close(self, preview_id: str) -> Any:
        return self._http.json("DELETE", f"{self.path}/{quote(preview_id, safe='')}", idempotent=True)

    def token(self, preview_id: str) -> dict:
        return self._http.json("POST", f"{self.path}/{quote(preview_id, safe='')}/tokens")


class Artifacts:
    def __init__(self, http: Transport, sandbox_id: str):
        self._http, self.path = http, f"/v1/sandboxes/{quote(sandbox_id, safe='')}/artifacts"

    def list(self, command_id: str | None = None) -> list[dict]:
        return _page(self._http.json("GET", self.path, query={"commandId": command_id}))

    def get(self, artifact_id: str) -> dict:
        return self._http.json("GET", f"{self.path}/{quote(artifact_id, safe='')}")

    def download(self, artifact_id: str) -> bytes:
        with self._http.send("GET", f"{self.path}/{quote(artifact_id, safe='')}/content") as res:
            return res.read()


class _ClassOrInstance:
    """``Sandbox.resume(snapshot_id)`` on the class, ``sbx.resume()`` on an instance (the seeds use the first)."""

    def __init__(self, on_class, on_instance):
        self.on_class, self.on_instance = on_class, on_instance

    def __get__(self, obj, owner):
        return functools.partial(self.on_class, owner) if obj is None else functools.partial(self.on_instance, obj)


@dataclass
class ExecResult:
    stdout: str
    stderr: str
    exit_code: int | None
    duration_ms: int | None
    id: str


class Sandbox:
    """A sandbox. ``with Sandbox.create(...) as sbx:`` kills it when the block ends."""

    def __init__(self, http: Transport, view: dict):
        self._http = http
        self.commands = Commands(http, view["id"])
        self.files = Files(http, view["id"])
        self.previews = Previews(http, view["id"])
        self.artifacts = Artifacts(http, view["id"])
        self.snapshot_id: str | None = None
        self._update(view)

    def _update(self, view: Any) -> "Sandbox":
        if isinstance(view, dict):
            self.info = view
            self.id = view["id"]
            self.status = view.get("status")
            self.template = view.get("template")
            self.snapshot_id = view.get("snapshotId", self.snapshot_id)
        return self

    def _started(self) -> "Sandbox":
        """The sandbox once it runs: a create answers 202 ``starting`` when it takes long."""
        delay = 0.1
        while self.status == "starting":
            time.sleep(delay)
            delay = min(1.0, delay * 2)
            self.refresh()
        return self

    @property
    def _path(self) -> str:
        return f"/v1/sandboxes/{quote(self.id, safe='')}"

    @classmethod
    def create(cls, template: str = "base", *, network: str | None = None, ttl_ms: int | None = None,
               allowed_hosts: list[str] | None = None, env: dict | None = None, metadata: dict | None = None,
               cpu: int | None = None, memory_mb: int | None = None, disk_mb: int | None = None,
               project_id: str | None = None, api_key: str | None = None, api_url: str | None = None,
               idempotency_key: str | None = None) -> "Sandbox":
        """A new sandbox, running. API key and URL default to CROWNEST_API_KEY / CROWNEST_API_URL."""
        http = Transport(api_key, api_url)
        body = {"template": template, "network": network, "ttlMs": ttl_ms, "allowedHosts": allowed_hosts,
                "env": env, "metadata": metadata, "cpu": cpu, "memoryMb": memory_mb, "diskMb": disk_mb,
                "projectId": project_id}
        return cls(http, http.json("POST", "/v1/sandboxes", json_body=body, idempotent=idempotency_key or True))._started()

    @classmethod
    def get(cls, sandbox_id: str, *, api_key: str | None = None, api_url: str | None = None) -> "Sandbox":
        http = Transport(api_key, api_url)
        return cls(http, http.json("GET", f"/v1/sandboxes/{quote(sandbox_id, safe='')}"))

    @classmethod
    def list(cls, *, api_key: str | None = None, api_url: str | None = None, **query: Any) -> list["Sandbox"]:
        http = Transport(api_key, api_url)
        return [cls(http, v) for v in _page(http.json("GET", "/v1/sandboxes", query=query))]

    def _resume_snapshot(cls, snapshot_id: str, *, api_key: str | None = None, api_url: str | None = None) -> "Sandbox":
        """Resumes the sandbox paused at this snapshot, from any process (409 snapshot_not_current when
        it has moved on)."""
        http = Transport(api_key, api_url)
        snapshot = http.json("GET", f"/v1/snapshots/{quote(snapshot_id, safe='')}")
        view = http.json("POST", f"/v1/sandboxes/{quote(snapshot['sandboxId'], safe='')}/resume",
                         json_body={"snapshotId": snapshot_id}, idempotent=True)
        return cls(http, view)

    @classmethod
    def fork_from(cls, snapshot_id: str, *, ttl_ms: int | None = None, metadata: dict | None = None,
                  api_key: str | None = None, api_url: str | None = None) -> "Sandbox":
        http = Transport(api_key, api_url)
        return cls(http, http.json("POST", "/v1/sandboxes", idempotent=True,
                                   json_body={"fromSnapshot": snapshot_id, "ttlMs": ttl_ms, "metadata": metadata}))._started()

    def exec(self, cmd: str, **kw: Any) -> ExecResult:
        """Runs a command to its end: stdout, stderr, exit_code, duration_ms."""
        r: CommandResult = self.commands.run(cmd, **kw)
        return ExecResult(r.stdout, r.stderr, r.exit_code, r.duration_ms, r.id)

    def refresh(self) -> "Sandbox":
        return self._update(self._http.json("GET", self._path))

    def pause(self) -> str | None:
        """Pauses (a checkpoint on disk) and answers the new snapshot's id."""
        answer = self._http.json("POST", f"{self._path}/pause", idempotent=True)
        self._update(answer)
        self.snapshot_id = (answer or {}).get("snapshotId")
        return self.snapshot_id

    def _resume_self(self) -> "Sandbox":
        return self._update(self._http.json("POST", f"{self._path}/resume", idempotent=True))

    resume = _ClassOrInstance(_resume_snapshot, _resume_self)

    def set_timeout(self, ms: int) -> "Sandbox":
        return self._update(self._http.json("POST", f"{self._path}/ttl", json_body={"ttlMs": ms}, idempotent=True))

    def fork(self, snapshot_id: str | None = None, *, ttl_ms: int | None = None, metadata: dict | None = None) -> "Sandbox":
        snapshot_id = snapshot_id or self.snapshot_id
        if not snapshot_id:
            raise ValueError("fork() needs a snapshot: pause() first, or pass snapshot_id")
        return Sandbox.fork_from(snapshot_id, ttl_ms=ttl_ms, metadata=metadata,
                                 api_key=self._http.api_key, api_url=self._http.api_url)

    def kill(self) -> None:
        self._update(self._http.json("DELETE", self._path, idempotent=True))

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.kill()
        except (NotFoundError, ConflictError):
            pass  # already gone

    def __repr__(self) -> str:
        return f"Sandbox({json.dumps(self.info)})"
