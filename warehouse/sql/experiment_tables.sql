-- The relations warehouse/sql/experiment_results.sql reads. experiment_decisions and
-- experiment_beacons are views over the raw tables in BigQuery (bigquery/flat_views.sql) and tables
-- elsewhere (the DuckDB test fills them with flatten-events.ts); experiment_config and
-- experiment_slots are small tables everywhere, filled from the manifest's `experiments` and
-- `experiment_slots` documents (flatten-events.ts: experimentConfigRows).
CREATE TABLE experiment_decisions (ts VARCHAR(40), request_id VARCHAR(128), visitor VARCHAR(22), schema_version INTEGER, preview BOOLEAN,
  experiment VARCHAR(64), variant VARCHAR(64), exposed BOOLEAN);
CREATE TABLE experiment_beacons (ts VARCHAR(40), request_id VARCHAR(128), visitor VARCHAR(22), schema_version INTEGER, preview BOOLEAN,
  attribution VARCHAR(8), event_type VARCHAR(16), slot VARCHAR(64), experiment VARCHAR(64), variant VARCHAR(64), page_exposed BOOLEAN,
  value DOUBLE PRECISION);
CREATE TABLE experiment_config (experiment VARCHAR(64), variant VARCHAR(64), weight INTEGER, is_control BOOLEAN);
CREATE TABLE experiment_slots (experiment VARCHAR(64), slot VARCHAR(64));
