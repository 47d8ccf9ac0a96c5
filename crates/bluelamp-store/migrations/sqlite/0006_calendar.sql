-- The force's own changes to the England and Wales working-day calendar (issue 5 §1), SQLite.
-- Mirrors postgres/0006_calendar.sql; change them together.
--
-- Beside the computed bank holidays and the changes proclaimed since 1978 (built into
-- bluelamp-domain::calendar), a force may add a day (a newly proclaimed holiday) or remove
-- one. Loaded when the application starts.
CREATE TABLE calendar_change (
    force_id     BLOB NOT NULL,
    day          TEXT NOT NULL,
    -- add or remove
    change       TEXT NOT NULL,
    -- The holiday's name, for a day added.
    name         TEXT,
    recorded_at  TEXT NOT NULL,
    recorded_by  BLOB,
    PRIMARY KEY (force_id, day)
);
