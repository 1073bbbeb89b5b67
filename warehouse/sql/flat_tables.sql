-- The flat relations the dashboard queries read. In BigQuery they are views over the raw tables
-- (warehouse/bigquery/flat_views.sql); elsewhere (the SQLite test, Postgres) they are tables.
CREATE TABLE decision_events (request_id VARCHAR(128), ts VARCHAR(40), path VARCHAR(2048), segment VARCHAR(64), consent VARCHAR(8),
  profile_outcome VARCHAR(16), profile_reason VARCHAR(16), template_cache VARCHAR(8), page_cache VARCHAR(8), ttfb_ms DOUBLE PRECISION, total_ms DOUBLE PRECISION);
CREATE TABLE decision_fragments (request_id VARCHAR(128), src VARCHAR(2048), outcome VARCHAR(16), cache VARCHAR(8), ms DOUBLE PRECISION);
CREATE TABLE decision_variants (request_id VARCHAR(128), experiment VARCHAR(64), variant VARCHAR(64));
CREATE TABLE clickstream_events (request_id VARCHAR(128), ts VARCHAR(40), event_type VARCHAR(16), slot VARCHAR(64), item VARCHAR(64),
  page VARCHAR(512), segment VARCHAR(64), consent VARCHAR(8));
CREATE TABLE clickstream_variants (request_id VARCHAR(128), event_type VARCHAR(16), experiment VARCHAR(64), variant VARCHAR(64));
