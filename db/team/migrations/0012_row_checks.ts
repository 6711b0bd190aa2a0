/**
 * Team schema v12 (tperf9, issue 12): the same CHECK rules on items, leases and verdicts, cheaper
 * to apply per statement.
 *
 * PostgreSQL keeps a CHECK constraint as a stored expression tree (text) and, in every statement
 * that writes the table, reads it back (stringToNode), runs it through the planner and compiles it,
 * whatever columns the statement changes. A verdict writes items twice (the claim's slot, the
 * submit's status), leases twice and verdicts once: 12 expression trees read and planned per
 * verdict, with the five-value status list and its array constant the biggest. Measured (one
 * backend running save and next, 2,000 verdicts per run, 300k items, eight runs per arm back to
 * back): server CPU 0.591 ms per verdict with the constraints as they were, 0.565 with each
 * table's rules in one IMMUTABLE plpgsql function called by a single CHECK (this migration): the
 * stored tree is one call over column references, and plpgsql keeps the compiled body for the
 * session. (With no CHECK at all it was ~0.05 ms less: not an option, the rules stay.)
 * Same rules, same values allowed; a row that breaks one is refused as before, naming
 * items_row_check, leases_row_check or verdicts_row_check. The functions hold nothing but the rule
 * (a CHECK's function must be IMMUTABLE); changing one is a migration, as changing the constraint was.
 */
export const name = 'row_checks';

export const sql = String.raw`
CREATE FUNCTION verdict.item_row_ok(p_priority smallint, p_required_reviews int, p_open_slots int, p_status text) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  -- 0001 (priority, required_reviews, open_slots) and 0007 (status).
  RETURN p_priority BETWEEN 0 AND 3 AND p_required_reviews >= 1 AND p_open_slots >= 0
    AND p_status IN ('open', 'decided', 'adjudication', 'expert', 'on_hold');
END $$;
CREATE FUNCTION verdict.lease_row_ok(p_state text) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN p_state IN ('live', 'submitted', 'expired', 'released');
END $$;
CREATE FUNCTION verdict.verdict_row_ok(p_decision text, p_labels jsonb) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN p_decision IN ('violation', 'dismiss', 'escalate') AND jsonb_typeof(p_labels) = 'array';
END $$;
-- The writer's role calls the check: the functions (their owner) write items and leases; members
-- insert verdicts directly too (0003).
REVOKE ALL ON FUNCTION verdict.item_row_ok(smallint, int, int, text), verdict.lease_row_ok(text),
  verdict.verdict_row_ok(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.item_row_ok(smallint, int, int, text), verdict.lease_row_ok(text),
  verdict.verdict_row_ok(text, jsonb) TO verdict_member;

ALTER TABLE verdict.items DROP CONSTRAINT items_priority_check, DROP CONSTRAINT items_required_reviews_check,
  DROP CONSTRAINT items_open_slots_check, DROP CONSTRAINT items_status_check,
  ADD CONSTRAINT items_row_check CHECK (verdict.item_row_ok(priority, required_reviews, open_slots, status)) NOT VALID;
ALTER TABLE verdict.leases DROP CONSTRAINT leases_state_check,
  ADD CONSTRAINT leases_row_check CHECK (verdict.lease_row_ok(state)) NOT VALID;
ALTER TABLE verdict.verdicts DROP CONSTRAINT verdicts_decision_check, DROP CONSTRAINT verdicts_labels_check,
  ADD CONSTRAINT verdicts_row_check CHECK (verdict.verdict_row_ok(decision, labels)) NOT VALID;
-- The rows already there are checked once (a scan, not a rewrite).
ALTER TABLE verdict.items VALIDATE CONSTRAINT items_row_check;
ALTER TABLE verdict.leases VALIDATE CONSTRAINT leases_row_check;
ALTER TABLE verdict.verdicts VALIDATE CONSTRAINT verdicts_row_check;
`;
