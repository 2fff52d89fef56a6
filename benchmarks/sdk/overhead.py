"""The Python SDK's cost over raw HTTP on a blocking run of `true`, interleaved round by round: raw
urllib without and with an Idempotency-Key (the SDK sends one on every run), then the SDK's
sandbox.exec. Prints one JSON line of milliseconds per kind. Run by `./crownest bench api`.
Usage: python3 overhead.py API_URL SANDBOX_ID ROUNDS (the key in CROWNEST_API_KEY)"""
import json
import os
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sdk" / "python" / "src"))
from crownest import Sandbox  # noqa: E402

api_url, sandbox_id = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 25
api_key = os.environ["CROWNEST_API_KEY"]
url = f"{api_url}/v1/sandboxes/{sandbox_id}/commands"


def raw(keyed: bool) -> None:
    headers = {"x-api-key": api_key, "content-type": "application/json"}
    if keyed:
        headers["idempotency-key"] = str(uuid.uuid4())
    request = urllib.request.Request(url, data=b'{"cmd":"true"}', headers=headers, method="POST")
    with urllib.request.urlopen(request) as res:
        body = json.load(res)
    if body.get("exitCode") != 0:
        raise RuntimeError(f"raw run: {body}")


sandbox = Sandbox.get(sandbox_id, api_key=api_key, api_url=api_url)


def sdk() -> None:
    result = sandbox.exec("true")
    if result.exit_code != 0:
        raise RuntimeError(f"sdk run: {result}")


kinds = {"raw": lambda: raw(False), "rawWithKey": lambda: raw(True), "sdk": sdk}
times = {kind: [] for kind in kinds}
for i in range(rounds + 3):
    for kind, run in kinds.items():
        started = time.perf_counter()
        run()
        if i >= 3:  # the first three rounds warm up
            times[kind].append((time.perf_counter() - started) * 1000)
print(json.dumps(times))
