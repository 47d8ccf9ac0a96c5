-- The numbering of calls taken without a reference (issue 3), PostgreSQL.
-- Mirrors sqlite/0007_call_reference.sql; change them together.
--
-- One row per force and Europe/London day: the last number given that day. Taking a call
-- without a reference increments it in the call's own transaction (an upsert), so two calls
-- never get the same number: SQLite has a single writer, and PostgreSQL locks the row until
-- the transaction ends. The reference is the day and the number, `20261126-0042`; a number
-- already taken by a reference typed in by hand is skipped.
CREATE TABLE call_reference_counter (
    force_id  UUID NOT NULL,
    day       DATE NOT NULL,
    last      BIGINT NOT NULL,
    PRIMARY KEY (force_id, day)
);
