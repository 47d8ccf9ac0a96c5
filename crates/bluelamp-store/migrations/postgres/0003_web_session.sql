-- Sign-in sessions for the pages: server-side, so that signing out ends them everywhere.
-- The cookie holds a random token; only its SHA-256 is stored. Each session has its own
-- token against cross-site request forgery, put in every form.
CREATE TABLE web_session (
    force_id      UUID NOT NULL,
    id_hash       TEXT NOT NULL,
    user_id       UUID NOT NULL,
    csrf_token    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (force_id, id_hash),
    FOREIGN KEY (force_id, user_id) REFERENCES app_user (force_id, id)
);
CREATE INDEX web_session_user ON web_session (force_id, user_id);

-- A reason stated on the pages for opening a restricted record holds for the rest of the
-- session's use of that record; each opening is still audited with it.
CREATE TABLE web_session_reason (
    force_id      UUID NOT NULL,
    id_hash       TEXT NOT NULL,
    record_id     UUID NOT NULL,
    reason        TEXT NOT NULL,
    stated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (force_id, id_hash, record_id),
    FOREIGN KEY (force_id, id_hash) REFERENCES web_session (force_id, id_hash) ON DELETE CASCADE,
    FOREIGN KEY (force_id, record_id) REFERENCES record (force_id, id)
);
