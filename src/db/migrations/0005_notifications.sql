-- Customer notifications: one row per message (order event x channel), the suppression list, and the
-- key that signs unsubscribe links.

-- A row exists before the message is handed to a provider (status 'sending'), so a redelivered event
-- finds it and sends nothing (unique per event and channel). `next_attempt_at` is the durable timer:
-- the retry time of a 'retrying' row, or the lease of a 'sending' one (a process that died mid-send
-- leaves a row that is retried once the lease has passed).
CREATE TABLE notification (
  id                  bigserial PRIMARY KEY,
  event_id            uuid NOT NULL,
  event_type          text NOT NULL,
  order_id            text NOT NULL,
  order_number        text,
  channel             text NOT NULL CHECK (channel IN ('email', 'sms')),
  -- Normalised address: lower-case e-mail, phone without separators.
  recipient           text NOT NULL,
  template            text NOT NULL,
  locale              text NOT NULL,
  essential           boolean NOT NULL,
  status              text NOT NULL CHECK (status IN ('sending', 'retrying', 'sent', 'failed', 'suppressed')),
  -- What is sent, exactly: e-mail { subject, text, html, headers } or SMS { text }; retries resend it.
  content             jsonb NOT NULL,
  attempts            integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at     timestamptz,
  provider            text,
  provider_message_id text,
  provider_response   text,
  error               text,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  sent_at             timestamptz,
  UNIQUE (event_id, channel),
  CHECK ((status IN ('sending', 'retrying')) = (next_attempt_at IS NOT NULL))
);
CREATE INDEX notification_order_idx ON notification (order_id, id);
CREATE INDEX notification_due_idx ON notification (next_attempt_at) WHERE status IN ('sending', 'retrying');

-- Addresses that get fewer messages, per channel. 'unsubscribed' (signed link) stops optional messages;
-- 'hard_bounce' (the provider refused the address for good) and 'admin' stop every message.
CREATE TABLE notification_suppression (
  channel    text NOT NULL CHECK (channel IN ('email', 'sms')),
  address    text NOT NULL,
  reason     text NOT NULL CHECK (reason IN ('unsubscribed', 'hard_bounce', 'admin')),
  note       text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (channel, address, reason)
);

-- Key of the HMAC that signs unsubscribe links when ORDO_UNSUBSCRIBE_SECRET is not set: generated once,
-- shared by every Ordo process on this database, so links keep working across restarts and processes.
CREATE TABLE notification_key (
  id     boolean PRIMARY KEY DEFAULT true CHECK (id),
  secret text NOT NULL
);
INSERT INTO notification_key (secret) VALUES (replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
