"""Every spark-submit command in the READMEs' shell blocks, as a user on a fresh clone types it after `npm run setup`
(no VIRTUAL_ENV, no SPARK_HOME, no venv on PATH), with only the placeholders changed: DATA is a tiny generated
dataset, OUT and /tmp/ev are temporary folders, and optional [--flag ...] groups are left out.

Every command is checked without Spark: the documented `PATH=$PWD/.venv/bin:$PATH spark-submit` finds the venv's
spark-submit in that environment, the script exists, imports from its own folder as spark-submit imports it, and its
own parser accepts the documented arguments. The commands whose Spark run nothing else proves run as written, through
spark-submit (speed comes from spark-defaults.conf in SPARK_CONF_DIR: 4 shuffle partitions, no UI, C1-compiled driver,
never from editing the command): post with the event-log settings (the only run of those settings, and the command
with the most settings: commands that differ only in --conf settings run once) and tools/plans.py (its only run). pre
and compact.py are parsed, not re-run: their entry points are the same three lines as post's (`sys.exit(main())`),
pre's also runs through spark-submit in test_spark_submit.py (a usage error, exit 2), and both jobs' Spark runs are
test_hand_fixture.py's and test_generated.py's, through the same `run(spark, argv)` main() calls. Each spark-submit
saved is ~20 s of JVM start and planning on 2 cores."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import JOBS_DIR

from insights import definitions as d

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
# The scripts whose documented spark-submit runs here (the rest: parsed, see the module's docstring).
RUN_AS_WRITTEN = ("spark.eventLog.dir", "spark-jobs/tools/plans.py")
RUNS = [(w, c) for w, c in COMMANDS if any(k in c for k in RUN_AS_WRITTEN)]


def test_the_readmes_document_the_jobs_in_the_form_that_works_without_an_activated_venv() -> None:
    scripts = {re.search(r"spark-jobs/\S+\.py", cmd).group(0) for _, cmd in ALL_COMMANDS}  # type: ignore[union-attr]
    assert {"spark-jobs/pre_optimization.py", "spark-jobs/post_optimization.py"} <= scripts, scripts
    for where, cmd in ALL_COMMANDS:
        # `.venv/bin/spark-submit ...` fails unless the venv is activated (/bin/spark-class: No such file or directory)
        assert DOCUMENTED in cmd and ".venv/bin/spark-submit" not in cmd, where


def test_commands_that_run_as_written_cover_the_event_log_settings_and_the_plans_tool() -> None:
    assert len(RUNS) == len(RUN_AS_WRITTEN), [c for _, c in COMMANDS]


def _script_and_args(command: str) -> tuple[Path, list[str]]:
    """The script a documented command hands to spark-submit and the arguments after it (spark-submit's own
    options, `--conf k=v`, come before the script)."""
    words = shlex.split(OPTIONAL.sub("", command.split("&&")[-1]))
    at = next(i for i, w in enumerate(words) if w.endswith(".py"))
    return ROOT / words[at], words[at + 1 :]


def _load(script: Path) -> object:
    """The script as spark-submit's driver imports it: its own folder first on sys.path (where `insights` is)."""
    sys.path.insert(0, str(script.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"documented_{script.stem}", script)
        assert spec and spec.loader, script
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(script.parent))


@pytest.mark.parametrize("where,command", COMMANDS, ids=[w for w, _ in COMMANDS])
def test_documented_command_parses_in_a_fresh_shell(where: str, command: str, tmp_path: Path) -> None:
    found = subprocess.run(
        ["bash", "-c", "PATH=$PWD/.venv/bin:$PATH command -v spark-submit"],
        capture_output=True, text=True, cwd=ROOT, env=_fresh_env(tmp_path),
    )  # fmt: skip
    assert found.stdout.strip() == str(ROOT / ".venv" / "bin" / "spark-submit"), (where, found.stdout, found.stderr)
    script, args = _script_and_args(command)
    assert script.is_file(), where
    module = _load(script)
    if script.name == "plans.py":  # plans.py {pre|post} JOB_ARGS: the job's own parser reads JOB_ARGS
        assert args[0] in ("pre", "post"), where
        job = importlib.import_module(f"insights.jobs.{args[0]}")
        assert job.parser().parse_args(args[1:]).out, where
    else:
        assert callable(module.main), where  # type: ignore[attr-defined]
        assert module.parser().parse_args(args).out, where  # type: ignore[attr-defined]


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
        # (and a code cache of 256 MB: C1 only shrinks it to 48 MB, test/spark-conf/spark-defaults.conf says why)
        "spark.driver.extraJavaOptions -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ReservedCodeCacheSize=256m\n"
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


@pytest.mark.spark  # a spark-submit (a JVM)
@pytest.mark.parametrize("where,command", RUNS, ids=[w for w, _ in RUNS])
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
    if "plans.py" in cmd:
        assert "Exchange" in proc.stdout, proc.stdout[-2000:]
