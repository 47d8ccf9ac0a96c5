-- The development a victim's update is about (issue 5 §7: Victims' Code compliance for
-- each kind of development), PostgreSQL. Mirrors sqlite/0009_duty_development.sql; change them together.
--
-- NULL for every duty other than an update owed to a victim (inform_victim), and for the
-- updates raised before this migration.
ALTER TABLE duty ADD COLUMN development TEXT;
