"""spark-submit entry point of insights.jobs.floor (the code and its documentation live there).

    spark-submit spark-jobs/floor_job.py --interactions PATH --metadata PATH --out PATH [...]

spark-submit puts this script's folder on the driver's sys.path, so the `insights` package next to it is imported
from the checkout; on a cluster, ship it with --py-files (a zip of spark-jobs/insights) or install the wheel
(spark-jobs/README.md). The jobs use no Python UDFs: executors never import it.
"""

import sys

# `parser` and `run` too: callers that import this script by name (test/s3/run_jobs.py) call run(spark, argv).
from insights.jobs.floor import main, parser, run  # noqa: F401

if __name__ == "__main__":
    sys.exit(main())
