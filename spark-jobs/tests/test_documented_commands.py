"""Every spark-submit command in the READMEs' shell blocks, run as written from the repository root, in an
environment without the venv activated (no VIRTUAL_ENV, no SPARK_HOME, no venv on PATH): what a user on a fresh clone
types after `npm run setup`. Only the placeholders change: DATA is a tiny generated dataset, OUT and /tmp/ev are
temporary folders, and optional [--flag ...] groups are left out. Speed comes from spark-defaults.conf
(SPARK_CONF_DIR: 4 shuffle partitions, no UI, C1-compiled driver), never from editing the command. Commands that
differ only in --conf settings run once (the one with the most settings)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import JOBS_DIR

from insights import definitions as d

pytestmark = pytest.mark.spark  # each command is a spark-submit (a JVM)

ROOT = JOBS_DIR.parent
DOCUMENTED = "PATH=$PWD/.venv/bin:$PATH spark-submit"
FENCE = re.compile(r"^```(?:sh|bash|shell)\n(.*?)^```", re.M | re.S)
OPTIONAL = re.compile(r"\s*\[[^\]]*\]")


def readmes() -> list[Path]:
    skip = {"node_modules", ".venv", ".git", "results"}
    return sorted(p for p in ROOT.rglob("README.md") if not skip & set(p.relative_to(ROOT).parts))


def documented_commands() -> list[tuple[str, str]]:
    """(where, command) for each spark-submit line of a shell block, continuation lines joined."""
    found = []
    for path in readmes():
        for block in FENCE.findall(path.read_text()):
            for line in block.replace("\\\n", " ").splitlines():
                if "spark-submit" in line:
                    found.append((f"{path.relative_to(ROOT)}: {line.split('#')[0].strip()[:90]}", line.strip()))
    return found


def _core(command: str) -> str:
    """The command without `mkdir ... &&`, `--conf k=v` pairs and optional groups: two documented commands with the
    same core differ only in Spark settings, and running the one with more settings proves both."""
    core = OPTIONAL.sub("", command.split("&&")[-1])
    return re.sub(r"\s+", " ", re.sub(r"--conf \S+", "", core)).strip()


def _distinct(commands: list[tuple[str, str]]) -> list[tuple[str, str]]:
    by_core: dict[str, tuple[str, str]] = {}
    for where, cmd in commands:
        kept = by_core.get(_core(cmd))
        if kept is None or cmd.count("--conf") > kept[1].count("--conf"):
            by_core[_core(cmd)] = (where, cmd)
    return list(by_core.values())


ALL_COMMANDS = documented_commands()
COMMANDS = _distinct(ALL_COMMANDS)


def test_the_readmes_document_the_jobs_in_the_form_that_works_without_an_activated_venv() -> None:
    scripts = {re.search(r"spark-jobs/\S+\.py", cmd).group(0) for _, cmd in ALL_COMMANDS}  # type: ignore[union-attr]
    assert {"spark-jobs/pre_optimization.py", "spark-jobs/post_optimization.py"} <= scripts, scripts
    for where, cmd in ALL_COMMANDS:
        # `.venv/bin/spark-submit ...` fails unless the venv is activated (/bin/spark-class: No such file or directory)
        assert DOCUMENTED in cmd and ".venv/bin/spark-submit" not in cmd, where


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("documented")
    data, conf = root / "data", root / "conf"
    gen = subprocess.run(
        ["node", str(ROOT / "bin" / "gen.js"), "--scale", "64kb", "--days", "3", "--bad-rows", "0.01",
         "--seed", "7", "--out", str(data)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert gen.returncode == 0, gen.stdout + gen.stderr
    conf.mkdir()
    (conf / "spark-defaults.conf").write_text(
        "spark.master local[2]\nspark.driver.memory 1g\nspark.sql.shuffle.partitions 4\n"
        "spark.ui.enabled false\nspark.ui.showConsoleProgress false\n"
        # C1 only: a tiny job is mostly JVM start-up and planning, where C2 compiles code it never reuses (the driver
        # spends ~45 % less CPU per command measured here).
        "spark.driver.extraJavaOptions -XX:TieredStopAtLevel=1 -XX:+UseSerialGC\n"
    )
    return {"DATA": data, "OUT": root / "out", "EV": root / "ev", "CONF": conf}


def _fresh_env(conf: Path) -> dict[str, str]:
    """The user's shell before `source .venv/bin/activate`: no venv anywhere."""
    drop = {"VIRTUAL_ENV", "SPARK_HOME", "PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "PYTHONPATH", "SPARK_CONF_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    env["SPARK_CONF_DIR"] = str(conf)
    env["SPARK_LOCAL_IP"] = "127.0.0.1"
    return env


@pytest.mark.parametrize("where,command", COMMANDS, ids=[w for w, _ in COMMANDS])
def test_documented_command_runs_as_written(where: str, command: str, workspace: dict[str, Path]) -> None:
    cmd = OPTIONAL.sub("", command)
    cmd = re.sub(r"\bDATA/", f"{workspace['DATA']}/", cmd)
    cmd = re.sub(r"\bOUT/", f"{workspace['OUT']}/", cmd)
    cmd = cmd.replace("/tmp/ev", str(workspace["EV"]))
    proc = subprocess.run(
        ["bash", "-c", cmd], capture_output=True, text=True, timeout=300, cwd=ROOT, env=_fresh_env(workspace["CONF"])
    )
    assert proc.returncode == 0, f"{where}\n$ {cmd}\n{(proc.stdout + proc.stderr)[-3000:]}"
    out = re.search(r"--out (\S+)", cmd)
    assert out, cmd
    if re.search(r"spark-jobs/(pre|post)_optimization\.py", cmd):
        folder = Path(out.group(1))
        run = json.loads((folder / "_run.json").read_text())
        assert run["reconciliation"]["input_rows"] > 0, run
        assert all((folder / t).is_dir() for t in d.TABLES), sorted(p.name for p in folder.iterdir())
    if "spark.eventLog.dir" in cmd:
        assert any(workspace["EV"].iterdir()), "no event log written"
    if "compact.py" in cmd:
        assert any(Path(out.group(1)).rglob("*.parquet")), cmd
    if "plans.py" in cmd:
        assert "Exchange" in proc.stdout, proc.stdout[-2000:]
