"""CI checks both README commands: `.ci/run` runs `make demo` and then `make test` from the
clone's root, and a failing demo stops it before the tests (so a broken demo cannot land).

The script runs with a stand-in `make` first on PATH that records what it is asked: the real
targets are the README's and are run by CI itself."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / ".ci" / "run"


def _run(tmp_path: Path, failing: str = "") -> tuple[int, list[str]]:
    """Exit status of .ci/run and the `make` calls it made (target and folder), in order."""
    log = tmp_path / "make.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    make = bin_dir / "make"
    make.write_text(f'#!/bin/sh\necho "$* $(pwd)" >> "{log}"\n[ "$*" != "{failing}" ]\n', encoding="utf-8")
    make.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([str(RUN)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return result.returncode, calls


def test_ci_runs_the_demo_then_the_tests_from_the_clone_root(tmp_path):
    assert os.access(RUN, os.X_OK), ".ci/run is executable"
    status, calls = _run(tmp_path)
    assert status == 0
    assert calls == [f"demo {ROOT}", f"test {ROOT}"]


@pytest.mark.parametrize("failing, ran", [("demo", ["demo"]), ("test", ["demo", "test"])])
def test_ci_fails_when_either_command_fails(tmp_path, failing, ran):
    status, calls = _run(tmp_path, failing)
    assert status != 0
    assert [c.split()[0] for c in calls] == ran
