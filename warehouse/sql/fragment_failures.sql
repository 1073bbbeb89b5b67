-- Failure rate per fragment src (dashboard: fragment failures): any outcome other than ok or alt (an alt is the fallback working).
SELECT src, COUNT(*) AS total,
       SUM(CASE WHEN outcome NOT IN ('ok', 'alt') THEN 1 ELSE 0 END) AS failures,
       1.0 * SUM(CASE WHEN outcome NOT IN ('ok', 'alt') THEN 1 ELSE 0 END) / COUNT(*) AS failure_rate
FROM decision_fragments
GROUP BY src
ORDER BY src;
