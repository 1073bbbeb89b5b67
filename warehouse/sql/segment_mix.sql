-- Page views per segment (dashboard: segment mix).
SELECT segment, COUNT(*) AS page_views
FROM decision_events
GROUP BY segment
ORDER BY segment;
