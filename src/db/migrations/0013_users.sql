-- People who sign in to the web apps (e-mail + password). API keys stay for integrations; a user acts
-- with its role and store scope exactly like a key of the same role.
CREATE TABLE app_user (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  name          text NOT NULL,
  password_hash text NOT NULL,              -- argon2id PHC string; never returned by the API
  role          text NOT NULL CHECK (role IN ('admin', 'ops', 'service', 'store')),
  location_ids  text[] NOT NULL DEFAULT '{}',
  locale        text CHECK (locale IN ('en', 'fr')),
  failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until  timestamptz,                -- set after repeated wrong passwords
  disabled_at   timestamptz,
  last_login_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'store' OR cardinality(location_ids) > 0),
  CHECK (role = 'store' OR cardinality(location_ids) = 0)
);
-- E-mails are stored lower-cased; the index on lower() keeps them unique even if a writer forgets.
CREATE UNIQUE INDEX app_user_email_idx ON app_user (lower(email));

-- A signed-in browser. The cookie carries a random token; only its SHA-256 is stored, so a database
-- read does not yield usable sessions.
CREATE TABLE user_session (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash          text NOT NULL UNIQUE,
  user_id             uuid NOT NULL REFERENCES app_user (id),
  csrf_token          text NOT NULL,
  created_at          timestamptz NOT NULL,
  last_seen_at        timestamptz NOT NULL,
  expires_at          timestamptz NOT NULL,  -- idle expiry: slides on use, never past absolute_expires_at
  absolute_expires_at timestamptz NOT NULL,
  revoked_at          timestamptz,
  user_agent          text,
  ip                  text,
  CHECK (expires_at <= absolute_expires_at)
);
CREATE INDEX user_session_user_idx ON user_session (user_id) WHERE revoked_at IS NULL;
