-- 010: the panel's 组长 (a role on the expert list), the 专家组意见 on each application (every saved version
-- kept, the newest counting), and 实地考察 records (members, claims checked) whose 不属实 findings may be
-- proposed as a 否定性指标 for the panel to decide.

-- 组长 or 成员; at most one 组长 per round.
ALTER TABLE expert ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'leader'));
CREATE UNIQUE INDEX expert_one_leader ON expert (round_id) WHERE role = 'leader';

-- One saved version of the 专家组意见 on an application, written by the round's 组长 (named by code and name
-- as they were when it was saved).
CREATE TABLE panel_opinion (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    author_code     TEXT NOT NULL,
    author_name     TEXT NOT NULL,
    strengths       TEXT NOT NULL,
    problems        TEXT NOT NULL,
    suggestions     TEXT NOT NULL,
    conclusion      TEXT NOT NULL CHECK (conclusion IN ('recommend', 'not_recommend')),
    conclusion_note TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A 实地考察 of an application: its number among the application's visits (第 1 次, 第 2 次 …), date and place.
CREATE TABLE site_visit (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL CHECK (seq > 0),
    visit_date      TEXT NOT NULL,
    place           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (application_id, seq)
);

-- The members of the visiting group, in print order: an expert of the round (expert_code set) or someone
-- typed in (监督人员, staff).
CREATE TABLE site_visit_member (
    visit_id     INTEGER NOT NULL REFERENCES site_visit(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position > 0),
    expert_code  TEXT,
    name         TEXT NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    duty         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (visit_id, position)
);

-- The claims checked on a visit, in print order.
CREATE TABLE site_visit_finding (
    id        INTEGER PRIMARY KEY,
    visit_id  INTEGER NOT NULL REFERENCES site_visit(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position > 0),
    claim     TEXT NOT NULL,
    finding   TEXT NOT NULL CHECK (finding IN ('true', 'partly', 'false')),
    note      TEXT NOT NULL DEFAULT '',
    UNIQUE (visit_id, position)
);

-- A 不属实 finding proposed as one of the rubric's 否定性指标: a proposal for the panel's vote
-- (veto_resolution), never a decision.
CREATE TABLE site_visit_veto (
    finding_id  INTEGER NOT NULL REFERENCES site_visit_finding(id) ON DELETE CASCADE,
    veto_code   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (finding_id, veto_code)
);

-- A closed round refuses all of it (the expert's role is covered by expert_closed_upd of 007).
CREATE TRIGGER panel_opinion_closed_ins BEFORE INSERT ON panel_opinion
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = NEW.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER panel_opinion_closed_upd BEFORE UPDATE ON panel_opinion
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = OLD.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER panel_opinion_closed_del BEFORE DELETE ON panel_opinion
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = OLD.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_closed_ins BEFORE INSERT ON site_visit
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = NEW.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_closed_upd BEFORE UPDATE ON site_visit
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = OLD.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_closed_del BEFORE DELETE ON site_visit
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = OLD.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_member_closed_ins BEFORE INSERT ON site_visit_member
WHEN (SELECT r.closed_at FROM site_visit v JOIN application a ON a.id = v.application_id JOIN round r ON r.id = a.round_id
      WHERE v.id = NEW.visit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_member_closed_upd BEFORE UPDATE ON site_visit_member
WHEN (SELECT r.closed_at FROM site_visit v JOIN application a ON a.id = v.application_id JOIN round r ON r.id = a.round_id
      WHERE v.id = OLD.visit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_member_closed_del BEFORE DELETE ON site_visit_member
WHEN (SELECT r.closed_at FROM site_visit v JOIN application a ON a.id = v.application_id JOIN round r ON r.id = a.round_id
      WHERE v.id = OLD.visit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_finding_closed_ins BEFORE INSERT ON site_visit_finding
WHEN (SELECT r.closed_at FROM site_visit v JOIN application a ON a.id = v.application_id JOIN round r ON r.id = a.round_id
      WHERE v.id = NEW.visit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_finding_closed_upd BEFORE UPDATE ON site_visit_finding
WHEN (SELECT r.closed_at FROM site_visit v JOIN application a ON a.id = v.application_id JOIN round r ON r.id = a.round_id
      WHERE v.id = OLD.visit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_finding_closed_del BEFORE DELETE ON site_visit_finding
WHEN (SELECT r.closed_at FROM site_visit v JOIN application a ON a.id = v.application_id JOIN round r ON r.id = a.round_id
      WHERE v.id = OLD.visit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_veto_closed_ins BEFORE INSERT ON site_visit_veto
WHEN (SELECT r.closed_at FROM site_visit_finding f JOIN site_visit v ON v.id = f.visit_id JOIN application a ON a.id = v.application_id
      JOIN round r ON r.id = a.round_id WHERE f.id = NEW.finding_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER site_visit_veto_closed_del BEFORE DELETE ON site_visit_veto
WHEN (SELECT r.closed_at FROM site_visit_finding f JOIN site_visit v ON v.id = f.visit_id JOIN application a ON a.id = v.application_id
      JOIN round r ON r.id = a.round_id WHERE f.id = OLD.finding_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
