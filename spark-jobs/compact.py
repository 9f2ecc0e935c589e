"""spark-submit entry point of insights.jobs.compact (the code and its documentation live there).

spark-submit spark-jobs/compact.py --interactions PATH --out PATH [--start D] [--end D] [--target-file-mb 128]
"""

import sys

# `parser` and `run` too: callers that import this script by name (test/s3/run_jobs.py) call run(spark, argv).
from insights.jobs.compact import main, parser, run  # noqa: F401

if __name__ == "__main__":
    sys.exit(main())
