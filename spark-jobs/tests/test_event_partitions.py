"""post's event partitions: 64 MiB of input each, fewer bytes when a task's memory would not hold them (no Spark)."""

import math

import pytest

from insights.jobs import post

MiB = 1 << 20
# results/2026-12-06-cluster-sweep-256mb: 30 days of `gen --scale 256mb --days 30 --end 2026-11-30`, 2 task slots.
SWEEP_INPUT = int(260.5 * MiB)


def partitions(settings: dict[str, str], size: int = SWEEP_INPUT, slots: int = 2) -> int:
    return slots * max(1, math.ceil(size / post.event_partition_bytes(settings) / slots))


def cluster(memory: str, cores: str) -> dict[str, str]:
    return {"spark.master": "spark://127.0.0.1:7077", "spark.executor.memory": memory, "spark.executor.cores": cores}


def test_task_memory_is_the_execution_pool_shared_by_the_cores_of_one_jvm() -> None:
    assert post.task_memory(cluster("3g", "2")) == int((3072 - 300) * MiB * 0.6 / 2)
    local = {"spark.master": "local[2]", "spark.driver.memory": "8g"}
    assert post.task_memory(local) == int((8192 - 300) * MiB * 0.6 / 2)
    # Unset: Spark's defaults, a 1g heap and one core per executor; a unitless memory setting is MiB.
    assert post.task_memory({"spark.master": "yarn"}) == int((1024 - 300) * MiB * 0.6)
    assert post.task_memory(cluster("2048", "1")) == post.task_memory(cluster("2g", "1"))
    assert post.task_memory({**cluster("3g", "2"), "spark.memory.fraction": "0.8"}) == int((3072 - 300) * MiB * 0.8 / 2)


@pytest.mark.parametrize(
    ("memory", "cores", "expected", "spilled_with_six"),
    [
        ("3g", "1", 6, False),  # c01/c07: 6 partitions, 1663 MiB per task, no spill: the size rule binds
        ("2g", "1", 8, True),  # c04 spilled 9.6 GiB with 6; c05 with 8 did not
        ("3g", "2", 8, True),  # c10 spilled 8.1 GiB with 6; c11 with 8 did not, and was the sweep's fastest
    ],
)
def test_the_sweep_layouts_get_the_partition_count_that_did_not_spill(
    memory: str, cores: str, expected: int, spilled_with_six: bool
) -> None:
    assert partitions(cluster(memory, cores)) == expected
    assert (expected > 6) == spilled_with_six


def test_at_1tb_on_the_reference_executors_the_size_rule_binds() -> None:
    # 16 GiB × 5 cores: (16384 − 300) MiB × 0.6 / 5 = 1930 MiB per task, / 25 = 77 MiB > 64 MiB.
    assert post.event_partition_bytes(cluster("16g", "5")) == post.EVENTS_PARTITION_BYTES
    assert partitions(cluster("16g", "5"), size=1 << 40, slots=145) == 16385


def test_never_below_one_mib() -> None:
    assert post.event_partition_bytes(cluster("400m", "8")) == MiB
