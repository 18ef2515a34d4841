-- SLA watch: per order, where it stands against its promise as last assessed, so each change is said once
-- (order.at_risk / order.delayed), even with several Ordo processes: the job locks the order row (SKIP
-- LOCKED) before it reads this one, re-checks and writes both the new state and its event in one transaction.
CREATE TABLE order_sla (
  order_id              uuid PRIMARY KEY REFERENCES sales_order (id),
  -- The promise this state is measured against: when the order is promised anew, it starts afresh.
  promise_latest        timestamptz NOT NULL,
  state                 text NOT NULL CHECK (state IN ('on_track', 'at_risk', 'delayed')),
  reason                text NOT NULL,
  -- The estimate at the last change (announced with it unless back on track) and when it changed.
  eta_earliest          timestamptz NOT NULL,
  eta_latest            timestamptz NOT NULL,
  changed_at            timestamptz NOT NULL,
  -- The last order.at_risk / order.delayed sent.
  announced_at          timestamptz,
  -- The estimate the customer was last given (the last alert that moved their date): the previous promise
  -- of the next alert. NULL: the order's promise.
  customer_eta_earliest timestamptz,
  customer_eta_latest   timestamptz,
  CHECK (eta_earliest <= eta_latest),
  CHECK ((customer_eta_earliest IS NULL) = (customer_eta_latest IS NULL))
);
