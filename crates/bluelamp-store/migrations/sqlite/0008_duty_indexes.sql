-- Indexes for the duty queues and the escalation sweep (issue 5's targets), SQLite.
-- Mirrors postgres/0008_duty_indexes.sql; change them together.

-- A queue's page and its count are read from this index alone, need-to-know included
-- (duty_queue::list): owner and state choose the entries, due (or met_at) and id order
-- them, and subject_id is what need-to-know checks. It replaces duty_owner, its prefix.
DROP INDEX duty_owner;
CREATE INDEX duty_queue ON duty (force_id, owed_by, met_at, due, id, subject_id);

-- The sweep's work list (duty_queue::claim_late): duties not met, not yet escalated and not
-- escalations themselves, by due instant. A duty leaves it when it is met or escalated and
-- escalations never enter it, so the sweep reads only what it escalates and its writes
-- touch one index fewer. It replaces duty_late, which held every duty.
DROP INDEX duty_late;
CREATE INDEX duty_unescalated ON duty (force_id, due, id)
    WHERE met_at IS NULL AND escalated_at IS NULL AND rule <> 'escalation';

-- Escalations are left out of the indexes that only measures and overdue lists read,
-- which never count them (their statements say `rule <> 'escalation'`), so that each
-- escalation the sweep records writes two indexes fewer.
DROP INDEX duty_due;
CREATE INDEX duty_due ON duty (force_id, kind, met_at, due) WHERE rule <> 'escalation';
DROP INDEX duty_raised;
CREATE INDEX duty_raised ON duty (force_id, kind, rule, raised_at) WHERE rule <> 'escalation';

-- The few records that may be hidden from someone: restricted, archived or erased, with
-- what need-to-know reads of them. Need-to-know over a long list reads only these
-- (record::visible_ids) rather than the record of every row. The condition is the one
-- record::visible_ids writes: SQLite uses a partial index only for a query that repeats it.
CREATE INDEX record_hidden ON record (force_id, id, restricted, archived_at, erased_at)
    WHERE (restricted = TRUE OR archived_at IS NOT NULL OR erased_at IS NOT NULL);
