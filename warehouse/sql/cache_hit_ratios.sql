-- Hit ratios per cache tier (dashboard: cache hit ratios). Templates count only page views not
-- served from the assembled-page cache, STALE counting as a hit; fragments count only entries
-- that were fetched (not refused or skipped).
SELECT 'fragment' AS tier, SUM(CASE WHEN cache = 'HIT' THEN 1 ELSE 0 END) AS hits, COUNT(*) AS total,
       1.0 * SUM(CASE WHEN cache = 'HIT' THEN 1 ELSE 0 END) / NULLIF(COUNT(*), 0) AS ratio
FROM decision_fragments
WHERE outcome NOT IN ('refused', 'skipped')
UNION ALL
SELECT 'page' AS tier, SUM(CASE WHEN page_cache = 'HIT' THEN 1 ELSE 0 END) AS hits, COUNT(*) AS total,
       1.0 * SUM(CASE WHEN page_cache = 'HIT' THEN 1 ELSE 0 END) / NULLIF(COUNT(*), 0) AS ratio
FROM decision_events
UNION ALL
SELECT 'template' AS tier, SUM(CASE WHEN template_cache IN ('HIT', 'STALE') THEN 1 ELSE 0 END) AS hits, COUNT(*) AS total,
       1.0 * SUM(CASE WHEN template_cache IN ('HIT', 'STALE') THEN 1 ELSE 0 END) / NULLIF(COUNT(*), 0) AS ratio
FROM decision_events
WHERE page_cache <> 'HIT'
ORDER BY tier;
