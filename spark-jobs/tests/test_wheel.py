"""The installable wheel (docs/deploy.md): built from a copy of this folder with pip, offline (no build isolation:
setuptools comes from the dev extra), installed into a scratch folder, and its console scripts run from there.
No Spark starts: the scripts are called with a bad flag, which the jobs reject before creating a SparkSession."""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import JOBS_DIR

ENTRY_POINTS = {"insights-pre": "insights.jobs.pre:main", "insights-post": "insights.jobs.post:main"}


def _pip(command: str, *args: str) -> None:
    """pip offline (--no-index): nothing comes from a registry, nothing but the wheel is installed."""
    base = [sys.executable, "-m", "pip", command, "--no-deps", "--no-index", "--disable-pip-version-check", "-q"]
    proc = subprocess.run([*base, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("wheel-src")
    # A copy, so setuptools' build/ and *.egg-info folders never land in the checkout.
    shutil.copy(JOBS_DIR / "pyproject.toml", src)
    shutil.copytree(JOBS_DIR / "insights", src / "insights", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("wheel-dist")
    _pip("wheel", "--no-build-isolation", "-w", str(dist), str(src))
    wheels = list(dist.glob("insights_jobs-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _dist_info(zf: zipfile.ZipFile, name: str) -> str:
    [path] = [n for n in zf.namelist() if n.endswith(f".dist-info/{name}")]
    return zf.read(path).decode()


def test_wheel_holds_the_package_and_both_entry_points(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = _dist_info(zf, "entry_points.txt")
        metadata = email.message_from_string(_dist_info(zf, "METADATA"))
    for module in (
        "insights/__init__.py",
        "insights/definitions.py",
        "insights/runner.py",
        "insights/jobs/__init__.py",
        "insights/jobs/pre.py",
        "insights/jobs/post.py",
    ):
        assert module in names, f"{module} missing from {wheel.name}: {sorted(names)}"
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n], sorted(names)
    lines = [line.strip() for line in entry_points.splitlines()]
    assert "[console_scripts]" in lines, entry_points
    for script, target in ENTRY_POINTS.items():
        assert f"{script} = {target}" in lines, entry_points
    # The platform provides Spark: pyspark may only be pulled in by an extra, never unconditionally.
    requires = metadata.get_all("Requires-Dist") or []
    assert not [r for r in requires if r.lower().startswith("pyspark") and "extra ==" not in r], requires


def test_installed_console_scripts_run_the_jobs_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    _pip("install", "--target", str(target), str(wheel))
    env = {**os.environ, "PYTHONPATH": str(target)}
    for script in ENTRY_POINTS:
        job = script.removeprefix("insights-")
        where = subprocess.run(
            [sys.executable, "-c", f"import insights.jobs.{job} as m; print(m.__file__)"],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )
        assert where.returncode == 0, where.stderr
        assert Path(where.stdout.strip()).is_relative_to(target), f"imported from the checkout: {where.stdout}"
        proc = subprocess.run(
            [
                sys.executable,
                str(target / "bin" / script),
                "--interactions",
                "x",
                "--metadata",
                "y",
                "--out",
                "z",
                "--no-such-flag",
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )
        assert proc.returncode == 2, proc.stdout + proc.stderr
        err = proc.stderr.strip().splitlines()
        assert len(err) == 1 and "usage error" in err[0] and "--no-such-flag" in err[0], proc.stderr
