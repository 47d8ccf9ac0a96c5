-- Investigation and victim care (issue 5), PostgreSQL. Mirrors sqlite/0005_investigation.sql;
-- change them together.
--
-- A crime's investigation (state, allocation, plan, supervision reviews, handovers with
-- their checklist, outcomes) and its victims (needs assessment, contacts, surveys). Each
-- history row is written once; `investigation` holds where it stands now. Every table is
-- keyed by force_id first, for Citus.

-- A user's Professionalising Investigation Programme accreditation (1, 2 or 3): NULL for
-- none. Allocation checks it against what the investigation needs.
ALTER TABLE app_user ADD COLUMN pip_level BIGINT;

-- When the escalation sweep recorded this duty's escalation: NULL until then.
ALTER TABLE duty ADD COLUMN escalated_at TIMESTAMPTZ;
-- Queues of duties by owner and state, and the sweep over late duties.
CREATE INDEX duty_owner ON duty (force_id, owed_by, met_at, due);
CREATE INDEX duty_late ON duty (force_id, met_at, escalated_at, due);
-- Measures: duties of a kind raised in a period.
CREATE INDEX duty_raised ON duty (force_id, kind, rule, raised_at);

-- One investigation per crime: where it stands now. Its history is investigation_step.
CREATE TABLE investigation (
    force_id         UUID NOT NULL,
    crime_id         UUID NOT NULL,
    state            TEXT NOT NULL,
    seriousness      TEXT NOT NULL,
    complex          BOOLEAN NOT NULL,
    -- low, medium or high: the risk supervision is scheduled at.
    risk             TEXT NOT NULL,
    team_id          UUID,
    investigator_id  UUID,
    allocated_at     TIMESTAMPTZ,
    finalised_at     TIMESTAMPTZ,
    -- The approved outcome while finalised.
    outcome          BIGINT,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (force_id, crime_id),
    FOREIGN KEY (force_id, crime_id) REFERENCES crime (force_id, id),
    FOREIGN KEY (force_id, team_id) REFERENCES team (force_id, id),
    FOREIGN KEY (force_id, investigator_id) REFERENCES app_user (force_id, id)
);
-- Crimes recorded before this migration start recorded and unallocated.
INSERT INTO investigation (force_id, crime_id, state, seriousness, complex, risk, updated_at)
SELECT force_id, id, 'recorded', 'standard', FALSE, 'low', recorded_at FROM crime;
CREATE INDEX investigation_investigator ON investigation (force_id, investigator_id, state);
CREATE INDEX investigation_team ON investigation (force_id, team_id, state);

-- Every step an investigation took, with who took it and why: written once.
CREATE TABLE investigation_step (
    force_id      UUID NOT NULL,
    id            UUID NOT NULL,
    crime_id      UUID NOT NULL,
    step          TEXT NOT NULL,
    state_after   TEXT NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    user_id       UUID NOT NULL,
    team_id       UUID,
    investigator_id UUID,
    note          TEXT,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, crime_id) REFERENCES crime (force_id, id)
);
CREATE INDEX investigation_step_crime ON investigation_step (force_id, crime_id, at);

-- The plan: lines of enquiry and actions, from the investigator, a review's directions or
-- a handover's outstanding items.
CREATE TABLE plan_item (
    force_id     UUID NOT NULL,
    id           UUID NOT NULL,
    crime_id     UUID NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL,
    -- plan, review or handover
    source       TEXT NOT NULL,
    source_id    UUID,
    assigned_to  UUID,
    due_on       DATE,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   UUID NOT NULL,
    done_at      TIMESTAMPTZ,
    done_by      UUID,
    result       TEXT,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, crime_id) REFERENCES crime (force_id, id)
);
CREATE INDEX plan_item_crime ON plan_item (force_id, crime_id, created_at);

CREATE TABLE supervision_review (
    force_id       UUID NOT NULL,
    id             UUID NOT NULL,
    crime_id       UUID NOT NULL,
    at             TIMESTAMPTZ NOT NULL,
    supervisor_id  UUID NOT NULL,
    risk           TEXT NOT NULL,
    note           TEXT NOT NULL,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, crime_id) REFERENCES crime (force_id, id)
);
CREATE INDEX supervision_review_crime ON supervision_review (force_id, crime_id, at);

CREATE TABLE handover (
    force_id      UUID NOT NULL,
    id            UUID NOT NULL,
    crime_id      UUID NOT NULL,
    from_team_id  UUID,
    to_team_id    UUID NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    by_user       UUID NOT NULL,
    note          TEXT,
    -- NULL while awaiting the receiving team; then accepted or returned.
    decision      TEXT,
    decided_at    TIMESTAMPTZ,
    decided_by    UUID,
    reasons       TEXT,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, crime_id) REFERENCES crime (force_id, id),
    FOREIGN KEY (force_id, to_team_id) REFERENCES team (force_id, id)
);
CREATE INDEX handover_crime ON handover (force_id, crime_id, at);
CREATE INDEX handover_at ON handover (force_id, at);

CREATE TABLE handover_item (
    force_id     UUID NOT NULL,
    handover_id  UUID NOT NULL,
    item         TEXT NOT NULL,
    state        TEXT NOT NULL,
    note         TEXT,
    PRIMARY KEY (force_id, handover_id, item),
    FOREIGN KEY (force_id, handover_id) REFERENCES handover (force_id, id)
);

-- Outcomes proposed and recorded; the approved one is the investigation's outcome.
CREATE TABLE crime_outcome (
    force_id         UUID NOT NULL,
    id               UUID NOT NULL,
    crime_id         UUID NOT NULL,
    outcome          BIGINT NOT NULL,
    at               TIMESTAMPTZ NOT NULL,
    charge_date      DATE,
    suspect_id       UUID,
    victim_position  TEXT,
    rationale        TEXT NOT NULL,
    recorded_by      UUID NOT NULL,
    -- proposed, approved or rejected
    status           TEXT NOT NULL,
    decided_at       TIMESTAMPTZ,
    decided_by       UUID,
    decision_reason  TEXT,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, crime_id) REFERENCES crime (force_id, id)
);
CREATE INDEX crime_outcome_crime ON crime_outcome (force_id, crime_id, at);

-- Developments a victim must be told of (reference §4.3): arrest, charge, bail, ...
CREATE TABLE crime_development (
    force_id  UUID NOT NULL,
    id        UUID NOT NULL,
    crime_id  UUID NOT NULL,
    what      TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    by_user   UUID NOT NULL,
    note      TEXT,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, crime_id) REFERENCES crime (force_id, id)
);
CREATE INDEX crime_development_crime ON crime_development (force_id, crime_id, at);

-- A victim of a crime, with the Victims' Code needs assessment.
CREATE TABLE crime_victim (
    force_id           UUID NOT NULL,
    id                 UUID NOT NULL,
    crime_id           UUID NOT NULL,
    person_id          UUID NOT NULL,
    -- When the victim reported (or was recorded): the referral limit runs from it.
    recorded_at        TIMESTAMPTZ NOT NULL,
    entitlement        TEXT NOT NULL,
    -- Enhanced reasons separated by commas, in vocabulary order; empty for none.
    reasons            TEXT NOT NULL,
    needs              TEXT,
    referral           TEXT NOT NULL,
    referral_at        TIMESTAMPTZ,
    contact_method     TEXT NOT NULL,
    update_every_days  BIGINT NOT NULL,
    -- made, declined or offered_later once offered.
    vps                TEXT,
    assessed_by        UUID NOT NULL,
    PRIMARY KEY (force_id, id),
    UNIQUE (force_id, crime_id, person_id),
    FOREIGN KEY (force_id, crime_id) REFERENCES crime (force_id, id),
    FOREIGN KEY (force_id, person_id) REFERENCES person (force_id, id)
);

CREATE TABLE victim_contact (
    force_id   UUID NOT NULL,
    id         UUID NOT NULL,
    victim_id  UUID NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    method     TEXT NOT NULL,
    summary    TEXT NOT NULL,
    by_user    UUID NOT NULL,
    referral   TEXT,
    vps        TEXT,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, victim_id) REFERENCES crime_victim (force_id, id)
);
CREATE INDEX victim_contact_victim ON victim_contact (force_id, victim_id, at);

-- Home Office user satisfaction survey answers, one row per response.
CREATE TABLE victim_survey (
    force_id       UUID NOT NULL,
    id             UUID NOT NULL,
    victim_id      UUID NOT NULL,
    at             TIMESTAMPTZ NOT NULL,
    overall        TEXT NOT NULL,
    kept_informed  TEXT NOT NULL,
    treatment      TEXT NOT NULL,
    recorded_by    UUID NOT NULL,
    PRIMARY KEY (force_id, id),
    FOREIGN KEY (force_id, victim_id) REFERENCES crime_victim (force_id, id)
);
CREATE INDEX victim_survey_at ON victim_survey (force_id, at);
