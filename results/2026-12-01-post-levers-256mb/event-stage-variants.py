import sys, time
from pyspark.sql import SparkSession, Window, functions as F
from insights import definitions as d
from insights.jobs import post
spark = SparkSession.builder.getOrCreate()
spark.conf.set("spark.sql.session.timeZone", "UTC")
raw = spark.read.parquet("/tmp/post/d256/interactions").select(*d.INTERACTION_COLUMNS, "date")
ev = raw.transform(d.with_event_date).repartition(8, "user_id", "event_date")
gap = 1800000
def A(): return ev.sortWithinPartitions("user_id", "event_date", "timestamp")
def B(): return ev.sortWithinPartitions("user_id", "event_date", "timestamp", "action_type", "page_id", "duration_ms", "app_version", "date")
def C(): return ev.transform(post.event_grains(gap))
def D():
    ordered = Window.partitionBy("user_id", "event_date").orderBy("ts_ms")
    t = ev.select("*", *d.event_millis())
    f = t.select("*", F.coalesce(F.col("ts_ms") - F.lag("ts_ms").over(ordered) > gap, F.lit(True)).cast("int").alias("new"))
    n = f.select("*", F.sum("new").over(ordered.rowsBetween(Window.unboundedPreceding, Window.currentRow)).alias("local_no"))
    return n.groupBy("user_id", "event_date", "date", "app_version", "local_no").agg(F.count(F.lit(1)), F.min("ts_ms"), F.max("end_ms"))
def E():
    tagged = ev.transform(d.dedupe_and_tag)
    return tagged
def C1():
    ordered = Window.partitionBy("user_id", "event_date").orderBy(F.col("reason").asc_nulls_first(), "ts_ms", "h")
    running = ordered.rowsBetween(Window.unboundedPreceding, Window.currentRow)
    t = ev.select(*d.INTERACTION_COLUMNS, "date", "event_date", d.quarantine_reason().alias("reason"), *d.event_millis(),
                  F.xxhash64("action_type", "page_id", "duration_ms", "app_version", "date").alias("h"))
    f = t.select("*",
        ((F.lag("ts_ms").over(ordered) == F.col("ts_ms")) & (F.lag("h").over(ordered) == F.col("h")) & F.lag("reason").over(ordered).eqNullSafe(F.col("reason"))).alias("is_copy0"),
        F.coalesce(F.col("ts_ms") - F.lag("ts_ms").over(ordered) > gap, F.lit(True)).cast("int").alias("new"))
    n = f.select("*", F.coalesce("is_copy0", F.lit(False)).alias("is_copy"), F.sum("new").over(running).alias("local_no"))
    ok = F.col("reason").isNull(); distinct = ~F.col("is_copy")
    keyed = n.select("user_id", "event_date", "date", "reason", "app_version", F.when(ok, F.col("local_no")).alias("local_no"),
        *[F.when(~ok, F.col(c)).alias(c) for c in post._BAD_ROW_DETAIL], distinct.cast("long").alias("distinct_row"),
        (distinct & d.is_qualifying()).cast("long").alias("qualifying_row"), "ts_ms", "end_ms", "end_raw_ms")
    return keyed.groupBy("user_id", "event_date", "date", "reason", "app_version", "local_no", *post._BAD_ROW_DETAIL).agg(
        F.sum("distinct_row").alias("rows"), F.sum(1 - F.col("distinct_row")).alias("duplicates"), F.sum("qualifying_row").alias("qualifying"),
        F.min("ts_ms").alias("start_ms"), F.max("ts_ms").alias("last_ms"), F.max("end_ms").alias("end_ms"), F.max("end_raw_ms").alias("end_raw_ms"))
def C2():
    # C1 without the aggregation: window cost only
    ordered = Window.partitionBy("user_id", "event_date").orderBy(F.col("reason").asc_nulls_first(), "ts_ms", "h")
    running = ordered.rowsBetween(Window.unboundedPreceding, Window.currentRow)
    t = ev.select(*d.INTERACTION_COLUMNS, "date", "event_date", d.quarantine_reason().alias("reason"), *d.event_millis(),
                  F.xxhash64("action_type", "page_id", "duration_ms", "app_version", "date").alias("h"))
    f = t.select("*", F.coalesce(F.col("ts_ms") - F.lag("ts_ms").over(ordered) > gap, F.lit(True)).cast("int").alias("new"))
    return f.select("*", F.sum("new").over(running).alias("local_no"))
for name in sys.argv[1:]:
    spark.sparkContext.setJobDescription(name)
    t = time.time(); globals()[name]().write.format("noop").mode("overwrite").save(); print(name, round(time.time() - t, 1), flush=True)
