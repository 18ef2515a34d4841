-- The dashboard lists the open orders late or at risk on every refresh. order_sla keeps a row for every
-- order ever watched (on track for almost all of them), so only the few alerting rows are indexed.
CREATE INDEX order_sla_alert_idx ON order_sla (state, order_id) WHERE state <> 'on_track';
