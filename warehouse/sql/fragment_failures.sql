-- Failure rate per fragment src (dashboard: fragment failures): any outcome other than ok.
SELECT src, COUNT(*) AS total,
       SUM(CASE WHEN outcome <> 'ok' THEN 1 ELSE 0 END) AS failures,
       1.0 * SUM(CASE WHEN outcome <> 'ok' THEN 1 ELSE 0 END) / COUNT(*) AS failure_rate
FROM decision_fragments
GROUP BY src
ORDER BY src;
