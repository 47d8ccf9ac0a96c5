-- Events: incidents and crimes (SQLite). Mirrors postgres/0002_events.sql.
--
-- Each is a kind of record: its row in `record` carries its kind, restriction, sharing,
-- archiving and erasure, and links (victim_of, suspect_in, occurred_at, ...) join it to
-- persons and locations. Keyed (force_id, id) like every table, for Citus. Times are UTC,
-- bound from the application. A crime's offence group, subgroup and police.uk category
-- follow from its Home Office offence code (bluelamp-domain::offence), so only the code is
-- stored.

CREATE TABLE incident (
    force_id     BLOB NOT NULL,
    id           BLOB NOT NULL,
    -- The force's incident reference number.
    reference    TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    category     TEXT NOT NULL,
    location_id  BLOB,
    summary      TEXT NOT NULL,
    PRIMARY KEY (force_id, id),
    UNIQUE (force_id, reference),
    FOREIGN KEY (force_id, id) REFERENCES record (force_id, id),
    FOREIGN KEY (force_id, location_id) REFERENCES location (force_id, id)
);
CREATE INDEX incident_received ON incident (force_id, received_at);

CREATE TABLE crime (
    force_id        BLOB NOT NULL,
    id              BLOB NOT NULL,
    -- The force's crime reference number.
    reference       TEXT NOT NULL,
    offence_code    TEXT NOT NULL,
    committed_from  TEXT NOT NULL,
    committed_to    TEXT,
    recorded_at     TEXT NOT NULL,
    domestic_abuse  INTEGER NOT NULL,
    location_id     BLOB,
    incident_id     BLOB,
    PRIMARY KEY (force_id, id),
    UNIQUE (force_id, reference),
    FOREIGN KEY (force_id, id) REFERENCES record (force_id, id),
    FOREIGN KEY (force_id, location_id) REFERENCES location (force_id, id),
    FOREIGN KEY (force_id, incident_id) REFERENCES incident (force_id, id)
);
CREATE INDEX crime_recorded ON crime (force_id, recorded_at);
CREATE INDEX crime_offence ON crime (force_id, offence_code, recorded_at);
CREATE INDEX crime_incident ON crime (force_id, incident_id);
