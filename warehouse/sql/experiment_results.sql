-- GET /api/experiments in SQL: one row per experiment, variant and metric (clickThrough,
-- addToCart, purchase), with the experiment's SRM check repeated on each row. Same rules as
-- collector/experiments/attribution-rule.ts: schema v2 only, no previews, per visitor pseudonym;
-- a visitor in two variants of one experiment is left out; beacons count with a token only; clicks
-- only in the experiment's slots and (when the token says) on pages where it was exposed.
-- Portable subset of BigQuery and DuckDB: float literals written as 1e0 (FLOAT64 in BigQuery,
-- DOUBLE in DuckDB; 1.0 would be NUMERIC/DECIMAL), NULLIF before every division, no statistics
-- functions (neither engine has a normal or chi-square CDF): the normal tail is Abramowitz &
-- Stegun 26.2.17 (|error| < 7.5e-8), chi-square p is exact for 1 and 2 degrees of freedom and the
-- Wilson-Hilferty approximation above.
WITH enrolled AS (
  SELECT experiment, visitor, MIN(variant) AS variant, COUNT(DISTINCT variant) AS variant_count,
         MAX(CASE WHEN exposed THEN 1 ELSE 0 END) AS exposed
  FROM experiment_decisions
  WHERE schema_version = 2 AND NOT preview AND visitor IS NOT NULL
  GROUP BY experiment, visitor
), visitors AS (
  SELECT experiment, visitor, variant, exposed FROM enrolled WHERE variant_count = 1
), outcomes AS (
  SELECT b.experiment, b.visitor, b.variant,
         SUM(CASE WHEN b.event_type = 'click' THEN 1 ELSE 0 END) AS clicks,
         SUM(CASE WHEN b.event_type = 'add_to_cart' THEN 1 ELSE 0 END) AS carts,
         SUM(CASE WHEN b.event_type = 'purchase' THEN 1 ELSE 0 END) AS purchases,
         SUM(CASE WHEN b.event_type = 'purchase' THEN COALESCE(b.value, 0) ELSE 0 END) AS value
  FROM experiment_beacons AS b
  LEFT JOIN experiment_slots AS s ON s.experiment = b.experiment AND s.slot = b.slot
  WHERE b.schema_version = 2 AND NOT b.preview AND b.visitor IS NOT NULL AND b.attribution = 'token'
    AND (b.event_type IN ('add_to_cart', 'purchase')
         OR (b.event_type = 'click' AND s.slot IS NOT NULL AND (b.page_exposed IS NULL OR b.page_exposed)))
  GROUP BY b.experiment, b.visitor, b.variant
), arms AS (
  SELECT c.experiment, c.variant, c.weight, c.is_control,
         COUNT(v.visitor) AS enrolled,
         SUM(CASE WHEN v.exposed = 1 THEN 1 ELSE 0 END) AS exposed,
         SUM(CASE WHEN v.exposed = 1 THEN COALESCE(o.clicks, 0) ELSE 0 END) AS clicks,
         SUM(CASE WHEN v.exposed = 1 THEN COALESCE(o.carts, 0) ELSE 0 END) AS add_to_cart,
         SUM(CASE WHEN v.exposed = 1 THEN COALESCE(o.purchases, 0) ELSE 0 END) AS purchases,
         SUM(CASE WHEN v.exposed = 1 THEN COALESCE(o.value, 0) ELSE 0 END) AS value,
         SUM(CASE WHEN v.exposed = 1 AND o.clicks > 0 THEN 1 ELSE 0 END) AS clickers,
         SUM(CASE WHEN v.exposed = 1 AND o.carts > 0 THEN 1 ELSE 0 END) AS carters,
         SUM(CASE WHEN v.exposed = 1 AND o.purchases > 0 THEN 1 ELSE 0 END) AS purchasers
  FROM experiment_config AS c
  LEFT JOIN visitors AS v ON v.experiment = c.experiment AND v.variant = c.variant
  LEFT JOIN outcomes AS o ON o.experiment = v.experiment AND o.visitor = v.visitor AND o.variant = v.variant
  GROUP BY c.experiment, c.variant, c.weight, c.is_control
), srm_totals AS (
  SELECT experiment, SUM(enrolled) AS total, SUM(CASE WHEN weight > 0 THEN weight ELSE 0 END) AS weights,
         SUM(CASE WHEN weight > 0 THEN 1 ELSE 0 END) - 1 AS df,
         SUM(CASE WHEN weight <= 0 AND enrolled > 0 THEN 1 ELSE 0 END) AS impossible
  FROM arms GROUP BY experiment
), srm AS (
  SELECT t.experiment, t.df, t.impossible,
         CASE WHEN t.total > 0 AND t.df > 0 THEN SUM(CASE WHEN a.weight > 0
           THEN POW(a.enrolled - 1e0 * t.total * a.weight / t.weights, 2) / (1e0 * t.total * a.weight / t.weights) ELSE 0 END) END AS chi_square
  FROM srm_totals AS t JOIN arms AS a ON a.experiment = t.experiment
  GROUP BY t.experiment, t.df, t.impossible, t.total
), metrics AS (
  SELECT experiment, variant, weight, is_control, enrolled, exposed, clicks, add_to_cart, purchases, value, 'clickThrough' AS metric, clickers AS successes FROM arms
  UNION ALL
  SELECT experiment, variant, weight, is_control, enrolled, exposed, clicks, add_to_cart, purchases, value, 'addToCart' AS metric, carters AS successes FROM arms
  UNION ALL
  SELECT experiment, variant, weight, is_control, enrolled, exposed, clicks, add_to_cart, purchases, value, 'purchase' AS metric, purchasers AS successes FROM arms
), paired AS (
  SELECT m.*, c.successes AS control_successes, c.exposed AS control_exposed,
         1e0 * m.successes / NULLIF(m.exposed, 0) AS p,
         1e0 * c.successes / NULLIF(c.exposed, 0) AS pc,
         1e0 * (m.successes + c.successes) / NULLIF(m.exposed + c.exposed, 0) AS pooled,
         1e0 * NULLIF(m.exposed, 0) AS n,
         1.959963984540054e0 AS z
  FROM metrics AS m JOIN metrics AS c ON c.experiment = m.experiment AND c.metric = m.metric AND c.is_control
), statistics AS (
  SELECT p2.*, s.df, s.impossible, s.chi_square,
         ABS(p2.p - p2.pc) / NULLIF(SQRT(p2.pooled * (1 - p2.pooled) * (1e0 / p2.exposed + 1e0 / p2.control_exposed)), 0) AS z_abs,
         ABS(CASE WHEN s.df = 1 THEN SQRT(s.chi_square)
                  WHEN s.df >= 3 THEN (POW(s.chi_square / s.df, 1e0 / 3) - (1 - 2e0 / (9 * s.df))) / SQRT(2e0 / (9 * s.df)) END) AS srm_z_abs,
         CASE WHEN s.df >= 3 AND POW(s.chi_square / s.df, 1e0 / 3) < 1 - 2e0 / (9 * s.df) THEN 1 ELSE 0 END AS srm_z_negative
  FROM paired AS p2 JOIN srm AS s ON s.experiment = p2.experiment
), tails AS (
  SELECT st.*, 1e0 / (1 + 0.2316419e0 * z_abs) AS t, 1e0 / (1 + 0.2316419e0 * srm_z_abs) AS srm_t FROM statistics AS st
), tail_values AS (
  SELECT tails.*,
         EXP(-z_abs * z_abs / 2) / 2.5066282746310002e0 * t * (0.319381530e0 + t * (-0.356563782e0 + t * (1.781477937e0 + t * (-1.821255978e0 + t * 1.330274429e0)))) AS z_tail,
         EXP(-srm_z_abs * srm_z_abs / 2) / 2.5066282746310002e0 * srm_t * (0.319381530e0 + srm_t * (-0.356563782e0 + srm_t * (1.781477937e0 + srm_t * (-1.821255978e0 + srm_t * 1.330274429e0)))) AS srm_tail
  FROM tails
), results AS (
  SELECT tv.*,
         CASE WHEN is_control OR exposed = 0 OR control_exposed = 0 THEN NULL
              WHEN pooled * (1 - pooled) = 0 THEN 1e0 ELSE 2 * z_tail END AS p_value,
         CASE WHEN impossible > 0 THEN 0e0 WHEN chi_square IS NULL THEN NULL
              WHEN df = 1 THEN 2 * srm_tail WHEN df = 2 THEN EXP(-chi_square / 2)
              WHEN srm_z_negative = 1 THEN 1 - srm_tail ELSE srm_tail END AS srm_p_value
  FROM tail_values AS tv
)
SELECT experiment, variant, weight, enrolled, exposed, clicks, add_to_cart, purchases, value, metric, successes,
       p AS rate,
       (p + z * z / (2 * n) - z * SQRT(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS rate_low,
       (p + z * z / (2 * n) + z * SQRT(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS rate_high,
       CASE WHEN is_control OR control_successes = 0 OR exposed = 0 THEN NULL ELSE p / pc - 1 END AS lift,
       CASE WHEN is_control OR control_successes = 0 OR successes = 0 THEN NULL
            ELSE EXP(LN(p / pc) - z * SQRT((1 - p) / successes + (1 - pc) / control_successes)) - 1 END AS lift_low,
       CASE WHEN is_control OR control_successes = 0 OR successes = 0 THEN NULL
            ELSE EXP(LN(p / pc) + z * SQRT((1 - p) / successes + (1 - pc) / control_successes)) - 1 END AS lift_high,
       p_value,
       chi_square AS srm_chi_square, srm_p_value,
       CASE WHEN srm_p_value < 0.001e0 THEN TRUE ELSE FALSE END AS srm_mismatch
FROM results
ORDER BY experiment, variant, metric;
