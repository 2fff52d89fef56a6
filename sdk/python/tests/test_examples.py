"""The README's Python examples (sdk/examples/*.py) as written, and the seed's (sdk/examples/seeds/003*.py)
after the substitutions of substitutions.json alone, each one printed. An example passes when it exits 0
and prints its .out file."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEEDS = EXAMPLES / "seeds"
SRC = Path(__file__).resolve().parents[1] / "src"
SUBSTITUTIONS = json.loads((EXAMPLES / "substitutions.json").read_text())["substitutions"]


def substitute(text: str) -> str:
    for s in SUBSTITUTIONS:
        n = text.count(s["from"])
        if n:
            text = text.replace(s["from"], s["to"])
            print(f"substituted {n}x {s['from']!r} -> {s['to']!r} ({s['why']})")
    return text


def run(source_dir: Path, name: str, text: str, tmp_path: Path) -> None:
    if (source_dir / "fixtures").is_dir():
        shutil.copytree(source_dir / "fixtures", tmp_path, dirs_exist_ok=True)
    (tmp_path / name).write_text(text)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    r = subprocess.run([sys.executable, name], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    expected = source_dir / f"{name}.out"
    if expected.exists():
        assert r.stdout == expected.read_text()


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_readme_example(name, tmp_path):
    text = (EXAMPLES / name).read_text()
    assert text.strip() in (EXAMPLES.parents[1] / "README.md").read_text(), f"README.md shows {name} as it is"
    run(EXAMPLES, name, text, tmp_path)


SEED_FILES = sorted(p.name for p in SEEDS.glob("003*.py")) if SEEDS.is_dir() else []


@pytest.mark.skipif(not SEED_FILES, reason="the seed's text is not in sdk/examples/seeds yet (see its README)")
@pytest.mark.parametrize("name", SEED_FILES or ["none"])
def test_seed_example(name, tmp_path):
    run(SEEDS, name, substitute((SEEDS / name).read_text()), tmp_path)
