-- Per experiment variant: exposures (page views), impressions, clicks, click-through rate
-- (clicks / impressions) and its Wilson score 95% interval, z = 1.959963984540054, with clicks
-- capped at impressions (dashboard: experiments). Without impressions every rate is NULL
-- (NULLIF keeps BigQuery, which raises on division by zero, and SQLite in agreement).
WITH arms AS (
  -- DISTINCT over UNION ALL: BigQuery has no bare UNION, SQLite no UNION DISTINCT.
  SELECT DISTINCT experiment, variant FROM (
    SELECT experiment, variant FROM decision_variants
    UNION ALL
    SELECT experiment, variant FROM clickstream_variants
  ) AS keys
), exposures AS (
  SELECT experiment, variant, COUNT(*) AS exposures FROM decision_variants GROUP BY experiment, variant
), beacons AS (
  SELECT experiment, variant,
         SUM(CASE WHEN event_type = 'impression' THEN 1 ELSE 0 END) AS impressions,
         SUM(CASE WHEN event_type = 'click' THEN 1 ELSE 0 END) AS clicks
  FROM clickstream_variants GROUP BY experiment, variant
), counts AS (
  SELECT a.experiment, a.variant,
         COALESCE(e.exposures, 0) AS exposures,
         COALESCE(b.impressions, 0) AS impressions,
         COALESCE(b.clicks, 0) AS clicks
  FROM arms AS a
  LEFT JOIN exposures AS e ON e.experiment = a.experiment AND e.variant = a.variant
  LEFT JOIN beacons AS b ON b.experiment = a.experiment AND b.variant = a.variant
), rates AS (
  SELECT experiment, variant, exposures, impressions, clicks,
         1.0 * (CASE WHEN clicks < impressions THEN clicks ELSE impressions END) / NULLIF(impressions, 0) AS p,
         1.0 * NULLIF(impressions, 0) AS n,
         1.959963984540054 AS z
  FROM counts
)
SELECT experiment, variant, exposures, impressions, clicks,
       1.0 * clicks / NULLIF(impressions, 0) AS ctr,
       (p + z * z / (2 * n) - z * SQRT(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS ctr_low,
       (p + z * z / (2 * n) + z * SQRT(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS ctr_high
FROM rates
ORDER BY experiment, variant;
