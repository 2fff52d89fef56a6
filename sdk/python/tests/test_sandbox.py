"""The Python SDK against a real stack: nothing mocked."""

import io
import os
import threading
import time

import pytest

from crownest import AuthenticationError, ConflictError, NotFoundError, Sandbox


def test_context_manager_kills_on_exit():
    with Sandbox.create(template="base", ttl_ms=60_000) as sbx:
        assert sbx.id.startswith("sbx_")
        assert sbx.status == "running"
    assert Sandbox.get(sbx.id).status == "killed"


def test_exec_gives_output_exit_code_and_duration(sbx):
    r = sbx.exec("echo hello; echo oops >&2; exit 3")
    assert (r.stdout, r.stderr, r.exit_code) == ("hello\n", "oops\n", 3)
    assert r.duration_ms >= 0


def test_errors_carry_the_api_code():
    with pytest.raises(NotFoundError) as e:
        Sandbox.get("sbx_doesnotexist")
    assert (e.value.status, e.value.code) == (404, "sandbox_not_found")
    assert e.value.request_id.startswith("req_")
    with pytest.raises(AuthenticationError):
        Sandbox.list(api_key="cn_live_wrong")


def test_streamed_run_calls_back_as_output_comes(sbx):
    out, err = [], []
    r = sbx.commands.run("for i in 1 2 3; do echo $i; sleep 0.2; done; echo e >&2",
                         on_stdout=out.append, on_stderr=err.append)
    assert "".join(out) == "1\n2\n3\n" and len(out) >= 2
    assert "".join(err) == "e\n"
    assert (r.exit_code, r.stdout) == (0, "1\n2\n3\n")


def test_background_wait_and_kill(sbx):
    assert sbx.commands.run("echo bg", background=True).wait().stdout == "bg\n"
    slow = sbx.commands.run("sleep 60", background=True)
    slow.kill()
    assert slow.wait().exit_code != 0


def test_collect_and_artifacts(sbx):
    r = sbx.commands.run("printf abc > out.txt", collect=["out.txt"])
    assert len(r.artifacts) == 1 and r.collect_errors == []
    assert any(a["id"] == r.artifacts[0]["id"] for a in sbx.artifacts.list())
    assert sbx.artifacts.download(r.artifacts[0]["id"]) == b"abc"


def test_commands_list_get(sbx):
    r = sbx.commands.run("echo listed")
    assert any(c["id"] == r.id for c in sbx.commands.list())
    assert sbx.commands.get(r.id)["stdout"] == "listed\n"


def test_connect(sbx, has_route):
    if not has_route("GET", "/v1/sandboxes/{id}/commands/{cid}/stream"):
        pytest.skip("GET /v1/sandboxes/{id}/commands/{cid}/stream is not on this stack yet (issue 12 item 6)")
    done = sbx.exec("echo one; echo two")
    seen = []
    assert sbx.commands.connect(done.id, on_stdout=seen.append).exit_code == 0
    assert "".join(seen) == "one\ntwo\n"


def test_files(sbx):
    assert sbx.files.write("d/a.txt", "hello")["size"] == 5
    assert sbx.files.read("d/a.txt") == "hello"
    sbx.files.write("d/b.bin", bytes([0, 1, 255]))
    assert sbx.files.read("d/b.bin", format="bytes") == bytes([0, 1, 255])
    sbx.files.write("d/c.bin", io.BytesIO(b"x" * 2_000_000))
    with sbx.files.read("d/c.bin", format="stream") as res:
        assert len(res.read()) == 2_000_000
    assert sorted(e["name"] for e in sbx.files.list("d")) == ["a.txt", "b.bin", "c.bin"]
    sbx.files.mkdir("m/n")
    sbx.files.move("d/a.txt", "m/n/a.txt")
    with pytest.raises(ConflictError):
        sbx.files.move("m/n/a.txt", "m/n/a.txt")
    sbx.files.remove("m")
    with pytest.raises(NotFoundError):
        sbx.files.read("m/n/a.txt")
    url = sbx.files.download_url("d/b.bin")["url"]
    import urllib.request
    assert urllib.request.urlopen(url).read() == bytes([0, 1, 255])
    assert sbx.files.upload_url("up.txt")["method"] == "PUT"


def test_previews(sbx):
    p = sbx.previews.create(port=8000)
    assert p["port"] == 8000 and p["url"].startswith("http")
    assert any(x["id"] == p["id"] for x in sbx.previews.list())
    assert sbx.previews.token(p["id"])["url"]
    sbx.previews.close(p["id"])


def test_pause_and_resume(has_route):
    with Sandbox.create(template="base", ttl_ms=300_000) as sbx:
        sbx.files.write("kept.txt", "kept")
        snapshot_id = sbx.pause()
        assert sbx.status == "paused"
        if not has_route("GET", "/v1/snapshots/{id}"):
            sbx.resume()
            assert sbx.status == "running"
            pytest.skip("no snapshot routes on this stack yet (issue 11): resumed in place only")
        resumed = Sandbox.resume(snapshot_id)
        assert resumed.id == sbx.id and resumed.files.read("kept.txt") == "kept"
        fork = resumed.fork(resumed.pause(), ttl_ms=60_000)
        with fork:
            assert fork.files.read("kept.txt") == "kept"


def test_a_streamed_run_whose_answer_was_lost_runs_once(sbx):
    from faults import faulty_proxy

    faults = [{"kind": "drop", "method": "POST", "path": r"/commands$", "times": 1}]
    server, url = faulty_proxy(os.environ["CROWNEST_API_URL"], faults)
    try:
        tag = f"once-{time.time_ns()}"
        cmd = f"sleep 1; echo {tag}"
        seen = []
        via_proxy = Sandbox.get(sbx.id, api_url=url, api_key=os.environ["CROWNEST_API_KEY"])
        r = via_proxy.commands.run(cmd, on_stdout=seen.append)
        assert faults[0].get("dropped")
        assert (r.exit_code, r.stdout, "".join(seen)) == (0, f"{tag}\n", f"{tag}\n")
        assert len([c for c in sbx.commands.list(limit=100) if c["cmd"] == cmd]) == 1
    finally:
        server.shutdown()


def test_a_streamed_run_the_gateway_ends_with_output_interrupted_is_reattached(sbx):
    """The proxy ends the run's stream after its first stdout event with the error event a gateway sends
    when it stops under a stream; the SDK follows the command through the reattach route from there."""
    from faults import faulty_proxy

    faults = [{"kind": "interrupt", "method": "POST", "path": r"/commands$", "times": 1}]
    server, url = faulty_proxy(os.environ["CROWNEST_API_URL"], faults)
    try:
        cmd = f'for i in 1 2 3 4 5; do echo "line $i"; sleep 0.3; done; echo done >&2; exit 4 # {time.time_ns()}'
        seen = []
        via_proxy = Sandbox.get(sbx.id, api_url=url, api_key=os.environ["CROWNEST_API_KEY"])
        r = via_proxy.commands.run(cmd, on_stdout=seen.append, on_stderr=lambda s: None)
        assert faults[0].get("interrupted")
        expected = "".join(f"line {i}\n" for i in range(1, 6))
        assert ("".join(seen), r.stdout, r.stderr, r.exit_code) == (expected, expected, "done\n", 4)
        assert len([c for c in sbx.commands.list(limit=100) if c["cmd"] == cmd]) == 1
    finally:
        server.shutdown()


def test_503_is_retried_after_retry_after(sbx):
    from faults import faulty_proxy

    faults = [{"kind": "503", "method": "POST", "path": r"/commands$", "times": 2, "retry_after": 1}]
    server, url = faulty_proxy(os.environ["CROWNEST_API_URL"], faults)
    try:
        started = time.time()
        via_proxy = Sandbox.get(sbx.id, api_url=url, api_key=os.environ["CROWNEST_API_KEY"])
        assert via_proxy.exec("echo retried").stdout == "retried\n"
        assert time.time() - started >= 2 and faults[0]["times"] == 0
    finally:
        server.shutdown()
