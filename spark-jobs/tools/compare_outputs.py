"""Do two job outputs hold identical tables? Multiset difference both ways per table, with DuckDB (no Spark).

.venv/bin/python spark-jobs/tools/compare_outputs.py OUT_A OUT_B      # exit 1 when any table differs
"""

from __future__ import annotations

import sys

import duckdb

TABLES = (
    "daily",
    "monthly",
    "daily_by_segment",
    "sessions_daily",
    "sessions_by_segment",
    "quarantine",
    "top_users",
    "app_versions_daily",
)


def main() -> None:
    if len(sys.argv) != 3:
        print("compare_outputs: usage: compare_outputs.py OUT_A OUT_B", file=sys.stderr)
        sys.exit(2)
    a, b = sys.argv[1], sys.argv[2]
    con = duckdb.connect()

    def scalar(sql: str) -> int:
        row = con.execute(sql).fetchone()
        assert row is not None  # count(*) always returns one row
        return int(row[0])

    differs = False
    for t in TABLES:
        ta, tb = f"read_parquet('{a}/{t}/*.parquet')", f"read_parquet('{b}/{t}/*.parquet')"
        rows = scalar(f"SELECT count(*) FROM {ta}")
        only_a = scalar(f"SELECT count(*) FROM (SELECT * FROM {ta} EXCEPT ALL SELECT * FROM {tb})")
        only_b = scalar(f"SELECT count(*) FROM (SELECT * FROM {tb} EXCEPT ALL SELECT * FROM {ta})")
        differs |= bool(only_a or only_b)
        print(f"{t}: {rows} rows, only in A {only_a}, only in B {only_b}")
    sys.exit(1 if differs else 0)


if __name__ == "__main__":
    main()
