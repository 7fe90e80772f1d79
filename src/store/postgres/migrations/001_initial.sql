-- The PostgreSQL store's schema: one row per record, every per-user table keyed by user_id first
-- (so each per-user query is an index range scan whose cost does not grow with other users), and
-- every row removed with its account (ON DELETE CASCADE). A record's exact shape lives in `body`
-- (jsonb: the domain's TypeBox types); the columns beside it are what queries filter and order on.
-- The three due-work tables (outbox, commitment_checks, autopilot_checkpoints) are the only ones
-- read across users: by due time, claimed with FOR UPDATE SKIP LOCKED.

-- Up Migration

CREATE TABLE accounts (
  id text PRIMARY KEY,
  -- usernames are stored already normalised (lower case, USERNAME_PATTERN): unique as given
  username text NOT NULL UNIQUE,
  body jsonb NOT NULL,
  -- sha-256 of the calendar feed token (never the token)
  calendar_token_digest text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Singletons per person that are null until set (the defaults apply) and the coach's usage counters.
CREATE TABLE user_settings (
  user_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  preferences jsonb,
  channels jsonb,
  buddy jsonb,
  autopilot jsonb,
  usage_day text,
  runs_today integer NOT NULL DEFAULT 0,
  total_runs integer NOT NULL DEFAULT 0,
  prompt_tokens bigint NOT NULL DEFAULT 0,
  completion_tokens bigint NOT NULL DEFAULT 0,
  total_tokens bigint NOT NULL DEFAULT 0
);

CREATE TABLE workouts (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  workout_id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  local_date date NOT NULL,
  performed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  body jsonb NOT NULL,
  PRIMARY KEY (user_id, workout_id)
);
-- the log in the order it was written, and the per-user, per-local-date queries
CREATE INDEX workouts_user_seq ON workouts (user_id, seq);
CREATE INDEX workouts_user_local_date ON workouts (user_id, local_date);

-- Idempotency keys: a retried POST /api/workout/log is answered with its first response.
CREATE TABLE request_keys (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  request_id text NOT NULL,
  fingerprint text NOT NULL,
  workout_id text NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, request_id)
);
CREATE INDEX request_keys_user_created ON request_keys (user_id, created_at);

CREATE TABLE conversation_messages (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  position integer NOT NULL,
  message jsonb NOT NULL,
  PRIMARY KEY (user_id, position)
);

CREATE TABLE agent_traces (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  body jsonb NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE plans (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  body jsonb NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE pauses (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  pause_id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  start_date date NOT NULL,
  end_date date NOT NULL,
  body jsonb NOT NULL,
  PRIMARY KEY (user_id, pause_id)
);
CREATE INDEX pauses_user_seq ON pauses (user_id, seq);

-- A person's imported calendar: its occurrences are only ever read whole.
CREATE TABLE calendars (
  user_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  subscription_url text,
  body jsonb NOT NULL
);
CREATE INDEX calendars_subscribed ON calendars (user_id) WHERE subscription_url IS NOT NULL;

CREATE TABLE nudges (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  nudge_id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  read_at timestamptz,
  body jsonb NOT NULL,
  PRIMARY KEY (user_id, nudge_id)
);
CREATE INDEX nudges_user_seq ON nudges (user_id, seq);

-- Due delivery attempts (at least once): claimed by due time with a lease, one instance each.
CREATE TABLE outbox (
  nudge_id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  due_at timestamptz NOT NULL,
  lease_until timestamptz,
  body jsonb NOT NULL
);
CREATE INDEX outbox_due ON outbox (due_at);
CREATE INDEX outbox_user ON outbox (user_id);

CREATE TABLE interventions (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  intervention_id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  body jsonb NOT NULL,
  PRIMARY KEY (user_id, intervention_id)
);
CREATE INDEX interventions_user_seq ON interventions (user_id, seq);

CREATE TABLE commitments (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  commitment_id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  body jsonb NOT NULL,
  PRIMARY KEY (user_id, commitment_id)
);
CREATE INDEX commitments_user_seq ON commitments (user_id, seq);

-- Append-only: rows are never updated, removed only with the account.
CREATE TABLE commitment_audit (
  user_id text NOT NULL,
  commitment_id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  body jsonb NOT NULL,
  PRIMARY KEY (user_id, commitment_id, seq),
  FOREIGN KEY (user_id, commitment_id) REFERENCES commitments (user_id, commitment_id) ON DELETE CASCADE
);

CREATE TABLE commitment_checks (
  user_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  due_at timestamptz NOT NULL,
  lease_until timestamptz
);
CREATE INDEX commitment_checks_due ON commitment_checks (due_at);

CREATE TABLE autopilot_runs (
  user_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  body jsonb NOT NULL,
  PRIMARY KEY (user_id, seq)
);

-- Each person's NEXT checkpoint (one row each), found by due time.
CREATE TABLE autopilot_checkpoints (
  user_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  due_at timestamptz NOT NULL,
  lease_until timestamptz,
  checkpoint jsonb NOT NULL
);
CREATE INDEX autopilot_checkpoints_due ON autopilot_checkpoints (due_at);

-- Down Migration

DROP TABLE autopilot_checkpoints, autopilot_runs, commitment_checks, commitment_audit, commitments,
  interventions, outbox, nudges, calendars, pauses, plans, agent_traces, conversation_messages,
  request_keys, workouts, user_settings, accounts;
