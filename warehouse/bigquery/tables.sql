-- BigQuery only: the raw tables, partitioned by day and clustered, with the same columns as
-- personalization_events.json and clickstream.json (use either this file or `bq mk` with the JSON
-- schemas and the flags in warehouse/README.md). Day partitions let every query that filters on
-- ts read only the days it needs (add e.g. `WHERE ts >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL
-- 14 DAY)` to the views for a rolling window); clustering by visitor first sorts each partition so
-- the per-visitor GROUP BYs of experiment_results.sql read neighbouring blocks, and the second key
-- serves the dashboard's filters (segment; beacon type and slot). Replace `analytics` with your dataset.
CREATE TABLE IF NOT EXISTS analytics.personalization_events (
  v INT64 NOT NULL, ts TIMESTAMP NOT NULL, requestId STRING NOT NULL, pop STRING NOT NULL, path STRING NOT NULL,
  status INT64 NOT NULL, segment STRING NOT NULL, variants JSON, consent STRING NOT NULL, geo STRING NOT NULL,
  device STRING NOT NULL, visitor STRING,
  profile STRUCT<outcome STRING NOT NULL, ms FLOAT64 NOT NULL, reason STRING> NOT NULL,
  template STRUCT<cache STRING NOT NULL, ms FLOAT64 NOT NULL> NOT NULL,
  fragments ARRAY<STRUCT<src STRING NOT NULL, outcome STRING NOT NULL, ms FLOAT64 NOT NULL, cache STRING NOT NULL>>,
  fragmentsTruncated INT64, pageCache STRING NOT NULL, ttfbMs FLOAT64 NOT NULL, totalMs FLOAT64 NOT NULL, cpuMs FLOAT64,
  exposed ARRAY<STRING>, preview BOOL, decision STRING
)
PARTITION BY DATE(ts)
CLUSTER BY visitor, segment;

CREATE TABLE IF NOT EXISTS analytics.clickstream (
  v INT64 NOT NULL, ts TIMESTAMP NOT NULL, requestId STRING NOT NULL, type STRING NOT NULL, slot STRING NOT NULL,
  item STRING NOT NULL, page STRING NOT NULL, segment STRING, variants JSON, consent STRING NOT NULL, visitor STRING,
  attribution STRING, exposed JSON, preview BOOL, value FLOAT64
)
PARTITION BY DATE(ts)
CLUSTER BY visitor, type, slot;

-- Filled from the manifest's `experiments` and `experiment_slots` documents whenever they change.
CREATE TABLE IF NOT EXISTS analytics.experiment_config (experiment STRING NOT NULL, variant STRING NOT NULL, weight INT64 NOT NULL, is_control BOOL NOT NULL);
CREATE TABLE IF NOT EXISTS analytics.experiment_slots (experiment STRING NOT NULL, slot STRING NOT NULL);
