"""The Databricks Asset Bundle (databricks.yml + resources/*.yml), checked without a workspace and without the
Databricks CLI (not installable here: the Go module proxy refuses github.com/databricks/cli, and the PyPI/npm
wrappers download a binary). Instead:

- every job resource is loaded by the typed models of PyPI `databricks-bundles` (generated from the CLI's bundle
  JSON schema; unknown fields, wrong enum values and missing required fields raise), and the top level, targets and
  artifacts are checked against the keys that schema allows;
- each task's parameters, with the variables' defaults substituted, are parsed by the job's real argparse parser
  (insights.jobs.pre / insights.jobs.post), so a flag renamed in the code fails here;
- the entry points and package name match spark-jobs/pyproject.toml, and the wheel glob matches the artifact.
No Spark starts."""

from __future__ import annotations

import fnmatch
import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from conftest import JOBS_DIR
from databricks.bundles.jobs import Job

from insights import runner
from insights.jobs import post, pre

try:  # in the standard library from 3.11 (the set-up's venv); imported by name so mypy's 3.10 target accepts it
    tomllib: Any = importlib.import_module("tomllib")
except ModuleNotFoundError:
    pytest.skip("needs Python 3.11+ (tomllib)", allow_module_level=True)

ROOT = JOBS_DIR.parent
PARSERS = {"insights-pre": pre.parser, "insights-post": post.parser}
# Top-level and target keys: the root and config.Target properties of the CLI's bundle JSON schema
# (bundle/schema/jsonschema.json in github.com/databricks/cli); artifact and variable keys from the bundle settings
# docs.
TOP_LEVEL_KEYS = {
    "artifacts",
    "bundle",
    "environments",
    "experimental",
    "include",
    "permissions",
    "presets",
    "python",
    "resources",
    "run_as",
    "scripts",
    "sync",
    "targets",
    "variables",
    "workspace",
}
TARGET_KEYS = {
    "artifacts",
    "bundle",
    "cluster_id",
    "compute_id",
    "default",
    "git",
    "mode",
    "permissions",
    "presets",
    "resources",
    "run_as",
    "sync",
    "variables",
    "workspace",
}
ARTIFACT_KEYS = {"build", "dynamic_version", "executable", "files", "path", "type"}
VARIABLE_KEYS = {"default", "description", "lookup", "type"}
VAR_REF = re.compile(r"\$\{var\.([a-zA-Z0-9_]+)\}")
DAILY_QUARTZ = re.compile(r"^0 \d{1,2} \d{1,2} \* \* \?$")


def _load(path: Path) -> dict:
    with open(path) as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def bundle() -> dict:
    root = _load(ROOT / "databricks.yml")
    assert set(root) <= TOP_LEVEL_KEYS, f"unknown top-level keys: {set(root) - TOP_LEVEL_KEYS}"
    jobs: dict = {}
    for pattern in root.get("include", []):
        files = sorted(ROOT.glob(pattern))
        assert files, f"include {pattern!r} matches no file"
        for f in files:
            doc = _load(f)
            assert set(doc) <= {"resources", "variables", "targets"}, f"{f}: unexpected keys {set(doc)}"
            for key, job in doc["resources"].get("jobs", {}).items():
                assert key not in jobs, f"job {key} defined twice"
                jobs[key] = (f, job)
    return {"root": root, "jobs": jobs}


def _project() -> dict:
    with open(JOBS_DIR / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def _wheel_tasks(bundle: dict) -> list[tuple[Path, dict, dict]]:
    return [
        (f, job, task) for f, job in bundle["jobs"].values() for task in job["tasks"] if "python_wheel_task" in task
    ]


def test_top_level_targets_artifacts_and_variables_have_only_schema_keys(bundle: dict) -> None:
    root = bundle["root"]
    assert root["bundle"]["name"]
    for name, target in root["targets"].items():
        assert set(target) <= TARGET_KEYS, f"target {name}: unknown keys {set(target) - TARGET_KEYS}"
        assert target.get("mode") in (None, "development", "production"), target
    assert sum(bool(t.get("default")) for t in root["targets"].values()) == 1, "exactly one default target"
    for name, artifact in root["artifacts"].items():
        assert set(artifact) <= ARTIFACT_KEYS, f"artifact {name}: unknown keys {set(artifact) - ARTIFACT_KEYS}"
        assert artifact["type"] == "whl"
        assert (ROOT / artifact["path"] / "pyproject.toml").is_file(), artifact
    for name, var in root["variables"].items():
        assert set(var) <= VARIABLE_KEYS, f"variable {name}: unknown keys {set(var) - VARIABLE_KEYS}"
        assert var.get("description"), f"variable {name} has no description"
        assert "default" in var, f"variable {name} has no default: `bundle validate` would ask for it"


def test_every_job_loads_in_the_typed_bundle_models(bundle: dict) -> None:
    assert {"insights_pre", "insights_post"} <= set(bundle["jobs"])
    for key, (_, job) in bundle["jobs"].items():
        loaded = Job.from_dict(job)  # raises on unknown fields, bad enum values, missing required fields
        assert loaded.name, key
        assert loaded.schedule is not None, f"{key} is not scheduled"
        assert DAILY_QUARTZ.match(job["schedule"]["quartz_cron_expression"]), job["schedule"]
        assert job["schedule"]["timezone_id"] == "UTC"
        assert job["max_concurrent_runs"] == 1, "two runs of one job would race on the same output"


def test_the_models_reject_what_the_schema_rejects() -> None:
    """The check above is only worth something if the models are strict: a typo, a bad enum, a missing key."""
    task: dict[str, Any] = {"task_key": "t", "python_wheel_task": {"package_name": "p", "entry_point": "e"}}
    load: Any = Job.from_dict  # plain dicts on purpose: what a YAML file gives
    load({"name": "ok", "tasks": [task]})
    with pytest.raises(ValueError, match="parameterz"):
        load({"tasks": [{**task, "python_wheel_task": {**task["python_wheel_task"], "parameterz": []}}]})
    with pytest.raises(ValueError, match="PauseStatus"):
        load({"schedule": {"quartz_cron_expression": "0 0 4 * * ?", "timezone_id": "UTC", "pause_status": "SOMETIMES"}})
    with pytest.raises(TypeError, match="task_key"):
        load({"tasks": [{"python_wheel_task": task["python_wheel_task"]}]})


def test_every_variable_used_is_declared_and_every_declared_one_used(bundle: dict) -> None:
    declared = set(bundle["root"]["variables"])
    files = [ROOT / "databricks.yml", *sorted({f for f, _ in bundle["jobs"].values()})]
    text = "".join(f.read_text() for f in files)
    used = set(VAR_REF.findall(text))
    assert used <= declared, f"undeclared variables: {used - declared}"
    assert declared <= used, f"declared but unused variables: {declared - used}"


def test_wheel_tasks_name_the_wheel_and_its_entry_points(bundle: dict) -> None:
    project = _project()
    dist_name = re.sub(r"[-_.]+", "_", project["name"]).lower()
    scripts = project["scripts"]
    artifact = next(iter(bundle["root"]["artifacts"].values()))
    tasks = _wheel_tasks(bundle)
    assert {t["python_wheel_task"]["entry_point"] for _, _, t in tasks} == set(PARSERS)
    for f, _, task in tasks:
        wt = task["python_wheel_task"]
        assert re.sub(r"[-_.]+", "_", wt["package_name"]).lower() == dist_name, wt
        assert wt["entry_point"] in scripts, f"{wt['entry_point']} not in [project.scripts] {scripts}"
        wheels = [lib["whl"] for lib in task["libraries"] if "whl" in lib]
        assert len(wheels) == 1, task["libraries"]
        expected = (ROOT / artifact["path"] / "dist").resolve()
        lib = (f.parent / wheels[0]).resolve()
        assert lib.parent == expected and fnmatch.fnmatch(f"{dist_name}-0.1.0-py3-none-any.whl", lib.name), lib


def _substitute(value: str, variables: dict) -> str:
    return VAR_REF.sub(lambda m: str(variables[m.group(1)]["default"]), value)


def test_task_parameters_parse_with_the_jobs_own_command_line(bundle: dict) -> None:
    variables = bundle["root"]["variables"]
    for _, _, task in _wheel_tasks(bundle):
        wt = task["python_wheel_task"]
        parser = PARSERS[wt["entry_point"]]()
        known = {s for action in parser._actions for s in action.option_strings}
        argv = [_substitute(str(p), variables) for p in wt["parameters"]]
        flags = [a for a in argv if a.startswith("--")]
        assert set(flags) <= known, f"{wt['entry_point']}: flags the job does not have: {set(flags) - known}"
        args = parser.parse_args(argv)  # runner.UsageError on anything the job would reject
        assert args.out and args.interactions and args.metadata
        # The defaults are the daily run: no fixed window, i.e. the last 365 days up to the newest partition.
        assert args.start is None and args.end is None, args
        # ... and a backfill only sets --var start=... --var end=...
        dated = {**variables, "start": {"default": "2026-01-01"}, "end": {"default": "2026-06-30"}}
        args = parser.parse_args([_substitute(str(p), dated) for p in wt["parameters"]])
        assert (str(args.start), str(args.end)) == ("2026-01-01", "2026-06-30")
    with pytest.raises(runner.UsageError):
        PARSERS["insights-post"]().parse_args(["--interactions", "a", "--metadata", "b", "--out", "c", "--nope"])
