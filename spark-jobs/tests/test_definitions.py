"""The definitions agree with generator/schema.ts (the one place vocabularies are spelled), and the command line
rejects bad values where they enter. No Spark needed."""

from __future__ import annotations

import argparse
import re

import pytest
from conftest import JOBS_DIR

from insights import definitions as d
from insights import runner
from insights.jobs import post as post_job

SCHEMA_TS = (JOBS_DIR.parent / "generator" / "schema.ts").read_text()


def _ts_strings(pattern: str) -> list[str]:
    block = re.search(pattern, SCHEMA_TS, re.S)
    assert block, pattern
    return re.findall(r"'([^']+)'", block.group(1))


def test_action_types_match_the_generator() -> None:
    assert tuple(_ts_strings(r"export const actionTypes: Vocabulary = \{\s*values: \[(.*?)\]")) == d.ACTION_TYPES
    assert re.search(r"unknownActionType = '([^']+)'", SCHEMA_TS).group(1) not in d.ACTION_TYPES  # type: ignore[union-attr]


def test_quarantine_reasons_match_bad_row_kinds() -> None:
    assert _ts_strings(r"export const badRowKinds = \[(.*?)\]") == [*d.QUARANTINE_REASONS, "duplicate"]


def test_lifecycle_pings_do_not_qualify() -> None:
    assert set(d.QUALIFYING_ACTION_TYPES) == set(d.ACTION_TYPES) - {"app_open", "app_close"}


@pytest.mark.parametrize(("text", "ms"), [("30m", 1_800_000), ("24h", 86_400_000), ("1500ms", 1500), ("90s", 90_000)])
def test_durations_parse(text: str, ms: int) -> None:
    assert runner.parse_duration_ms(text) == ms


@pytest.mark.parametrize("text", ["30", "-5m", "0m", "1.5h", "thirty minutes"])
def test_bad_durations_are_rejected(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="expected a positive duration"):
        runner.parse_duration_ms(text)


@pytest.mark.parametrize(
    "flags",
    [["--hot-key-fraction", "1.5"], ["--salt-buckets", "1"], ["--start", "2024-13-01"], ["--skew-mode", "magic"]],
)
def test_post_rejects_bad_flags_as_usage_errors(flags: list[str]) -> None:
    with pytest.raises(runner.UsageError):
        post_job.parser().parse_args(["--interactions", "i", "--metadata", "m", "--out", "o", *flags])


def test_vocabulary_flags_parse_and_default_to_the_generator() -> None:
    base = ["--interactions", "i", "--metadata", "m", "--out", "o"]
    args = post_job.parser().parse_args(base)
    assert runner.vocabulary(args) == d.DEFAULT_VOCABULARY
    args = post_job.parser().parse_args([*base, "--valid-actions", "view, buy,open", "--lifecycle-actions", "open"])
    vocabulary = runner.vocabulary(args)
    assert (vocabulary.valid, vocabulary.lifecycle, vocabulary.qualifying) == (
        ("view", "buy", "open"),
        ("open",),
        ("view", "buy"),
    )


@pytest.mark.parametrize(
    ("valid", "lifecycle", "message"),
    [
        ("view,buy", "open", r"lifecycle actions \['open'\] are not among the valid actions"),
        ("open", "open", "nobody could ever be active"),
        ("", "", "at least one action type"),
    ],
)
def test_inconsistent_vocabulary_is_a_usage_error(valid: str, lifecycle: str, message: str) -> None:
    args = post_job.parser().parse_args(
        [
            "--interactions",
            "i",
            "--metadata",
            "m",
            "--out",
            "o",
            "--valid-actions",
            valid,
            "--lifecycle-actions",
            lifecycle,
        ]
    )
    with pytest.raises(runner.UsageError, match=message):
        runner.vocabulary(args)


def test_empty_action_name_is_rejected() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="without empty ones"):
        runner.parse_actions("view,,buy")
