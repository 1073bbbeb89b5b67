-- Why profile lookups were skipped (dashboard: the breaker-open and no-consent causes), per reason;
-- a skipped lookup logged without a reason (an older edge) counts under NULL.
SELECT profile_reason, COUNT(*) AS page_views
FROM decision_events
WHERE profile_outcome = 'skipped'
GROUP BY profile_reason
ORDER BY profile_reason NULLS LAST;
