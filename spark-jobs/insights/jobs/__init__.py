"""The jobs, each a module with `parser()`, `compute(ctx)`, `run(spark, argv)` and `main(argv) -> exit code`:

- `pre`: the honest first version (join every event, then aggregate);
- `post`: the optimized plan of the same tables;
- `floor`: not a product job: the hardware floor the other two are measured against (read every event once, one
  shuffle by (user_id, day), aggregate, write).

spark-submit runs them through the thin scripts in spark-jobs/ (pre_optimization.py, post_optimization.py,
floor_job.py); an installed wheel through its entry points (insights.jobs.pre:main, insights.jobs.post:main).
"""
