-- First contact (issue 4), PostgreSQL. Mirrors sqlite/0004_first_contact.sql.
--
-- An incident gains its channel, when it happened, its neighbourhood, its current grade
-- and its closure. THRIVE assessments, the advice checklist, attendance and the
-- crime-recording decision are kept beside it, each row written once and never updated
-- (a re-assessment is a new row that names the one it revises). The queue holds one row
-- per incident waiting for deployment or resolution: a work list derived from that
-- history, ordered by the columns of its index. Duties are the duties engine's output
-- (bluelamp-domain::duty). Every table is keyed by force_id first, for Citus.

-- Incidents recorded before this migration were all taken as 101 calls.
ALTER TABLE incident ADD COLUMN channel TEXT NOT NULL DEFAULT '101';
ALTER TABLE incident ADD COLUMN occurred_at TIMESTAMPTZ;
-- The neighbourhood of the incident's location, when its LSOA is in the force.
ALTER TABLE incident ADD COLUMN area_id UUID;
ALTER TABLE incident ADD FOREIGN KEY (force_id, area_id) REFERENCES area (force_id, id);
-- The grade of the latest assessment: NULL until THRIVE is complete.
ALTER TABLE incident ADD COLUMN grade TEXT;
ALTER TABLE incident ADD COLUMN closed_at TIMESTAMPTZ;
ALTER TABLE incident ADD COLUMN closing_category TEXT;
ALTER TABLE incident ADD COLUMN result TEXT;
-- Closed as a crime without attendance where THRIVE found lines of enquiry.
ALTER TABLE incident ADD COLUMN review_flag BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX incident_open ON incident (force_id, closed_at, received_at);

-- Whether an area counts as urban or rural for attendance targets (issue 4 §2).
ALTER TABLE area ADD COLUMN setting TEXT NOT NULL DEFAULT 'urban';

CREATE TABLE thrive_assessment (
    force_id                 UUID NOT NULL,
    id                       UUID NOT NULL,
    incident_id              UUID NOT NULL,
    -- 1 for the first assessment, then 2, 3, ... for each re-assessment.
    seq                      INTEGER NOT NULL,
    revises_id               UUID,
    assessed_at              TIMESTAMPTZ NOT NULL,
    assessed_by              UUID NOT NULL,
    threat_level             TEXT NOT NULL,
    threat_rationale         TEXT NOT NULL,
    harm_level               TEXT NOT NULL,
    harm_rationale           TEXT NOT NULL,
    risk_level               TEXT NOT NULL,
    risk_rationale           TEXT NOT NULL,
    investigation_level      TEXT NOT NULL,
    investigation_rationale  TEXT NOT NULL,
    vulnerability_level      TEXT NOT NULL,
    vulnerability_rationale  TEXT NOT NULL,
    -- Factor codes separated by commas, in vocabulary order; empty for none.
    vulnerability_factors    TEXT NOT NULL,
    engagement_level         TEXT NOT NULL,
    engagement_rationale     TEXT NOT NULL,
    proposed_grade           TEXT NOT NULL,
    proposal_reason          TEXT NOT NULL,
    grade                    TEXT NOT NULL,
    previous_grade           TEXT,
    grade_rationale          TEXT,
    setting                  TEXT NOT NULL,
    -- Whether Thrive::inconsistencies found anything, for the supervisor's review.
    inconsistent             BOOLEAN NOT NULL,
    PRIMARY KEY (force_id, id),
    UNIQUE (force_id, incident_id, seq),
    FOREIGN KEY (force_id, incident_id) REFERENCES incident (force_id, id),
    FOREIGN KEY (force_id, revises_id) REFERENCES thrive_assessment (force_id, id),
    FOREIGN KEY (force_id, assessed_by) REFERENCES app_user (force_id, id)
);
CREATE INDEX thrive_assessment_at ON thrive_assessment (force_id, assessed_at);

CREATE TABLE incident_advice (
    force_id             UUID NOT NULL,
    incident_id          UUID NOT NULL,
    evidence_given       BOOLEAN NOT NULL,
    evidence_reason      TEXT,
    prevention_given     BOOLEAN NOT NULL,
    prevention_reason    TEXT,
    recorded_at          TIMESTAMPTZ NOT NULL,
    recorded_by          UUID NOT NULL,
    PRIMARY KEY (force_id, incident_id),
    FOREIGN KEY (force_id, incident_id) REFERENCES incident (force_id, id),
    FOREIGN KEY (force_id, recorded_by) REFERENCES app_user (force_id, id)
);

CREATE TABLE incident_attendance (
    force_id     UUID NOT NULL,
    id           UUID NOT NULL,
    incident_id  UUID NOT NULL,
    -- deployed, arrived or not_attending.
    kind         TEXT NOT NULL,
    -- When it happened: the decision, or the arrival.
    happened_at  TIMESTAMPTZ NOT NULL,
    rationale    TEXT,
    -- For an arrival: the grade then in force and whether its target was met.
    grade        TEXT,
    target_met   BOOLEAN,
    recorded_at  TIMESTAMPTZ NOT NULL,
    recorded_by  UUID NOT NULL,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, incident_id) REFERENCES incident (force_id, id),
    FOREIGN KEY (force_id, recorded_by) REFERENCES app_user (force_id, id)
);
CREATE INDEX incident_attendance_incident ON incident_attendance (force_id, incident_id, happened_at);

CREATE TABLE crime_recording_decision (
    force_id     UUID NOT NULL,
    incident_id  UUID NOT NULL,
    -- crime or not_a_crime.
    decision     TEXT NOT NULL,
    reason       TEXT,
    decided_at   TIMESTAMPTZ NOT NULL,
    decided_by   UUID NOT NULL,
    PRIMARY KEY (force_id, incident_id),
    FOREIGN KEY (force_id, incident_id) REFERENCES incident (force_id, id),
    FOREIGN KEY (force_id, decided_by) REFERENCES app_user (force_id, id)
);

-- The incident-management queue: incidents waiting for deployment or resolution.
CREATE TABLE incident_queue (
    force_id       UUID NOT NULL,
    incident_id    UUID NOT NULL,
    grade          TEXT NOT NULL,
    -- ResponseGrade::urgency, level_rank(risk), level_rank(vulnerability), factor count.
    urgency        INTEGER NOT NULL,
    risk           INTEGER NOT NULL,
    vulnerability  INTEGER NOT NULL,
    factors        INTEGER NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL,
    queued_at      TIMESTAMPTZ NOT NULL,
    -- The wait the grade allows, in seconds; NULL for none.
    wait_allowed   BIGINT,
    area_id        UUID,
    PRIMARY KEY (force_id, incident_id),
    FOREIGN KEY (force_id, incident_id) REFERENCES incident (force_id, id)
);
CREATE INDEX incident_queue_order ON incident_queue
    (force_id, urgency DESC, risk DESC, vulnerability DESC, factors DESC, received_at, incident_id);

-- Duties with deadlines (design.md idea 3; bluelamp-domain::duty).
CREATE TABLE duty (
    force_id    UUID NOT NULL,
    id          UUID NOT NULL,
    kind        TEXT NOT NULL,
    rule        TEXT NOT NULL,
    -- role:ROLE, team:ID or user:ID.
    owed_by     TEXT NOT NULL,
    owed_to     UUID,
    subject_id  UUID NOT NULL,
    raised_at   TIMESTAMPTZ NOT NULL,
    due         TIMESTAMPTZ NOT NULL,
    met_at      TIMESTAMPTZ,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, subject_id) REFERENCES record (force_id, id)
);
CREATE INDEX duty_subject ON duty (force_id, subject_id, kind);
CREATE INDEX duty_due ON duty (force_id, kind, met_at, due);
