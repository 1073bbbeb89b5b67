-- Nearest-rank p50/p95/p99 of TTFB and total time per page cache state (dashboard: latency).
-- The p-th percentile is the smallest value whose rank r satisfies r * 100 >= p * n, i.e. rank
-- ceil(p/100 * n): integer arithmetic only, so every engine gives the same answer (PERCENTILE_CONT
-- interpolates and is spelled differently per dialect).
WITH ttfb AS (
  SELECT page_cache, ttfb_ms AS ms,
         ROW_NUMBER() OVER (PARTITION BY page_cache ORDER BY ttfb_ms) AS r,
         COUNT(*) OVER (PARTITION BY page_cache) AS n
  FROM decision_events
), total AS (
  SELECT page_cache, total_ms AS ms,
         ROW_NUMBER() OVER (PARTITION BY page_cache ORDER BY total_ms) AS r,
         COUNT(*) OVER (PARTITION BY page_cache) AS n
  FROM decision_events
), ttfb_p AS (
  SELECT page_cache, MAX(n) AS page_views,
         MIN(CASE WHEN r * 100 >= 50 * n THEN ms END) AS ttfb_p50,
         MIN(CASE WHEN r * 100 >= 95 * n THEN ms END) AS ttfb_p95,
         MIN(CASE WHEN r * 100 >= 99 * n THEN ms END) AS ttfb_p99
  FROM ttfb GROUP BY page_cache
), total_p AS (
  SELECT page_cache,
         MIN(CASE WHEN r * 100 >= 50 * n THEN ms END) AS total_p50,
         MIN(CASE WHEN r * 100 >= 95 * n THEN ms END) AS total_p95,
         MIN(CASE WHEN r * 100 >= 99 * n THEN ms END) AS total_p99
  FROM total GROUP BY page_cache
)
SELECT t.page_cache, t.page_views, t.ttfb_p50, t.ttfb_p95, t.ttfb_p99, o.total_p50, o.total_p95, o.total_p99
FROM ttfb_p AS t JOIN total_p AS o ON o.page_cache = t.page_cache
ORDER BY t.page_cache;
