-- Page views per profile lookup outcome (dashboard: profile outcomes).
SELECT profile_outcome, COUNT(*) AS page_views
FROM decision_events
GROUP BY profile_outcome
ORDER BY profile_outcome;
