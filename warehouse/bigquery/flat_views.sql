-- BigQuery only: the flat relations warehouse/sql/*.sql read, as views over the raw tables that
-- the Fastly BigQuery endpoints fill. This file holds the one dialect difference: nested and JSON
-- columns are flattened with UNNEST, JSON_KEYS and JSON subscripts. Replace `analytics` with your
-- dataset. (In the test, warehouse/flatten-events.ts builds the same relations in SQLite.)
CREATE OR REPLACE VIEW analytics.decision_events AS
SELECT requestId AS request_id, ts, path, segment, consent, profile.outcome AS profile_outcome, profile.reason AS profile_reason,
       template.cache AS template_cache, pageCache AS page_cache, ttfbMs AS ttfb_ms, totalMs AS total_ms
FROM analytics.personalization_events;

CREATE OR REPLACE VIEW analytics.decision_fragments AS
SELECT e.requestId AS request_id, f.src, f.outcome, f.cache, f.ms
FROM analytics.personalization_events AS e, UNNEST(e.fragments) AS f;

CREATE OR REPLACE VIEW analytics.decision_variants AS
SELECT e.requestId AS request_id, k AS experiment, LAX_STRING(e.variants[k]) AS variant
FROM analytics.personalization_events AS e, UNNEST(JSON_KEYS(e.variants, 1)) AS k;

CREATE OR REPLACE VIEW analytics.clickstream_events AS
SELECT requestId AS request_id, ts, type AS event_type, slot, item, page, segment, consent
FROM analytics.clickstream;

CREATE OR REPLACE VIEW analytics.clickstream_variants AS
SELECT e.requestId AS request_id, e.type AS event_type, k AS experiment, LAX_STRING(e.variants[k]) AS variant
FROM analytics.clickstream AS e, UNNEST(JSON_KEYS(e.variants, 1)) AS k;

-- The experiment relations warehouse/sql/experiment_results.sql reads (experiment_config and
-- experiment_slots are plain tables, see bigquery/tables.sql).
CREATE OR REPLACE VIEW analytics.experiment_decisions AS
SELECT CAST(e.ts AS STRING) AS ts, e.requestId AS request_id, e.visitor, e.v AS schema_version, COALESCE(e.preview, FALSE) AS preview,
       k AS experiment, LAX_STRING(e.variants[k]) AS variant, k IN UNNEST(e.exposed) AS exposed
FROM analytics.personalization_events AS e, UNNEST(JSON_KEYS(e.variants, 1)) AS k;

CREATE OR REPLACE VIEW analytics.experiment_beacons AS
SELECT CAST(e.ts AS STRING) AS ts, e.requestId AS request_id, e.visitor, e.v AS schema_version, COALESCE(e.preview, FALSE) AS preview,
       e.attribution, e.type AS event_type, e.slot, k AS experiment, LAX_STRING(e.variants[k]) AS variant,
       CASE WHEN e.exposed IS NULL OR JSON_TYPE(e.exposed) = 'null' THEN NULL ELSE k IN UNNEST(JSON_VALUE_ARRAY(e.exposed)) END AS page_exposed,
       e.value
FROM analytics.clickstream AS e, UNNEST(JSON_KEYS(e.variants, 1)) AS k;
