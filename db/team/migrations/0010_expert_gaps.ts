/**
 * Expert review, what 0007 left open (issue 13):
 * 1. Blind routes stay blind to adjudicators in plain SQL too: 0002's may_see_verdicts let an
 *    adjudicator read every verdict row of their routes (reviewer names included). Now, on a blind
 *    route, an adjudicator reads other people's verdict rows only once the item is decided; before
 *    that they go through verdict.item_verdicts (SECURITY DEFINER), which shows "Reviewer N".
 * 2. A gold copy is never a normal item: its lease ending (expired, released, withdrawn) no
 *    longer frees a slot that verdict.claim would hand to anyone. A trigger keeps a copy's
 *    open_slots at 0 (verdict.claim stays as it is; it filters on open_slots > 0).
 * 3. Escalating or holding an item ends every live lease on it, not only the caller's: each
 *    other holder's lease is withdrawn (state 'released', slot back, event 'lease.withdrawn' with
 *    why), so a late submit is refused; verdict.lease_withdrawal tells the holder why.
 *    verdict.item_history likewise shows "a reviewer" for the reviewer who escalated or held it.
 * 4. verdict.agreement_ratings: each reviewer's verdict per item for the agreement statistics,
 *    read under the caller's row-level security by leads and data roles only.
 */
export const name = 'expert_gaps';

export const sql = String.raw`
-- 1. Blind to adjudicators until decided.
CREATE OR REPLACE FUNCTION verdict.may_see_verdicts(p_item bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT EXISTS (
    SELECT 1 FROM verdict.items i JOIN verdict.routes r ON r.name = i.route
    JOIN verdict.route_members rm ON rm.route = i.route AND rm.username = session_user
    WHERE i.id = p_item AND (
      NOT r.blind
      OR (verdict.my_role() = 'adjudicator' AND i.status = 'decided')
      OR EXISTS (SELECT 1 FROM verdict.verdicts v WHERE v.item_id = p_item AND v.reviewer = session_user)));
$$;

-- The lineage hides the first-line reviewers who escalated or held an undecided blind item too
-- (0007 hid only the verdict rows): "a reviewer" for an adjudicator or expert, names for leads.
CREATE OR REPLACE FUNCTION verdict.item_history(p_item bigint)
  RETURNS TABLE (at text, kind text, actor text, decision text, labels jsonb, detail text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it record; v_blind boolean;
BEGIN
  PERFORM verdict.require_role(ARRAY['lead', 'adjudicator', 'expert', 'data'], 'read an item''s history');
  SELECT i.id, i.route, i.status, r.blind INTO it FROM verdict.items i JOIN verdict.routes r ON r.name = i.route WHERE i.id = p_item;
  IF it.id IS NULL OR NOT (verdict.sees_all() OR verdict.on_my_route(it.route)) THEN
    RAISE EXCEPTION 'item % does not exist or is not on your routes', p_item USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_blind := it.blind AND it.status <> 'decided' AND NOT verdict.sees_all();
  RETURN QUERY SELECT * FROM (
    SELECT verdict.ts_text(v.decided_at) AS at, 'verdict'::text AS kind,
        CASE WHEN v_blind THEN 'Reviewer ' || row_number() OVER (ORDER BY v.id) ELSE v.reviewer::text END AS actor,
        v.decision, v.labels, v.rationale AS detail
      FROM verdict.verdicts v WHERE v.item_id = p_item
    UNION ALL
    SELECT verdict.ts_text(a.decided_at), 'adjudication', a.adjudicator::text, a.decision, a.labels, a.rationale FROM verdict.adjudications a WHERE a.item_id = p_item
    UNION ALL
    SELECT verdict.ts_text(e.asked_at), 'escalated to ' || e.to_route, verdict.blind_actor(e.asked_by, v_blind), e.first_decision, e.first_labels, e.question
      FROM verdict.escalations e WHERE e.item_id = p_item
    UNION ALL
    SELECT verdict.ts_text(e.answered_at), 'expert ' || e.answer_kind, e.answered_by::text, e.decision, e.labels,
        CASE WHEN e.overturned THEN 'overturned the first-line verdict' ELSE e.note END
      FROM verdict.escalations e WHERE e.item_id = p_item AND e.state = 'answered'
    UNION ALL
    SELECT verdict.ts_text(h.held_at), 'hold', verdict.blind_actor(h.held_by, v_blind), NULL, NULL, h.reason || ' (review by ' || verdict.ts_text(h.review_by) || ')'
      FROM verdict.holds h WHERE h.item_id = p_item
    UNION ALL
    SELECT verdict.ts_text(h.released_at), 'hold released', verdict.blind_actor(h.released_by, v_blind), NULL, NULL, NULL FROM verdict.holds h WHERE h.item_id = p_item AND h.released_at IS NOT NULL
    UNION ALL
    SELECT verdict.ts_text(o.at), 'reopened', o.reopened_by::text, NULL, NULL, o.reason FROM verdict.reopens o WHERE o.item_id = p_item
  ) x ORDER BY x.at, x.kind;
END $$;

CREATE FUNCTION verdict.blind_actor(p_who name, p_blind boolean) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT CASE WHEN p_blind AND p_who <> session_user
      AND coalesce((SELECT m.role FROM verdict.members m WHERE m.username = p_who), 'reviewer') = 'reviewer'
    THEN 'a reviewer' ELSE p_who::text END;
$$;

-- 2. A gold copy's slot never comes back.
CREATE FUNCTION verdict.gold_copy_slots() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM verdict.gold_serves s WHERE s.copy_item_id = NEW.id) THEN
    NEW.open_slots := OLD.open_slots;
  END IF;
  RETURN NEW;
END $$;
-- Fires only when a slot is given back (release, expiry, escalate, hold), never on a claim.
CREATE TRIGGER items_gold_copy_slots BEFORE UPDATE OF open_slots ON verdict.items
  FOR EACH ROW WHEN (NEW.open_slots > OLD.open_slots) EXECUTE FUNCTION verdict.gold_copy_slots();
-- Copies whose lease already ran out before this fix had their slot back: closed, with an event.
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT i.id, i.open_slots FROM verdict.items i JOIN verdict.gold_serves s ON s.copy_item_id = i.id
           WHERE i.open_slots > 0 ORDER BY i.id FOR UPDATE OF i LOOP
    UPDATE verdict.items SET open_slots = 0 WHERE id = c.id;
    PERFORM verdict.audit('gold.copy_closed', c.id::text, jsonb_build_object('open_slots_were', c.open_slots));
  END LOOP;
END $$;

-- 3. Every other live lease on the item ends with the caller's step. The caller's own lease is
-- already ended (end_own_lease) when this runs; p_because is the event that took the item away.
CREATE FUNCTION verdict.withdraw_leases(p_item bigint, p_because text, p_at timestamptz) RETURNS int
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE l record; n int := 0;
BEGIN
  FOR l IN SELECT token, reviewer FROM verdict.leases WHERE item_id = p_item AND state = 'live' ORDER BY token FOR UPDATE LOOP
    UPDATE verdict.leases SET state = 'released', ended_at = p_at WHERE token = l.token;
    UPDATE verdict.items SET open_slots = open_slots + 1 WHERE id = p_item;
    PERFORM verdict.audit('lease.withdrawn', p_item::text, jsonb_build_object('token', l.token::text, 'reviewer', l.reviewer::text,
      'because', p_because, 'at', verdict.ts_text(p_at)));
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;

CREATE OR REPLACE FUNCTION verdict.escalate(p_item bigint, p_token bigint, p_to_route text, p_question text,
                                 p_first_decision text, p_first_labels jsonb DEFAULT '[]') RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it verdict.items; r verdict.routes; v_id bigint; v_at timestamptz := clock_timestamp(); v_due timestamptz;
BEGIN
  PERFORM verdict.require_member();
  SELECT * INTO it FROM verdict.items WHERE id = p_item FOR UPDATE;
  IF it.id IS NULL OR NOT verdict.on_my_route(it.route) THEN
    RAISE EXCEPTION 'item % does not exist or is not on your routes', p_item USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO r FROM verdict.routes WHERE name = p_to_route;
  IF r.name IS NULL THEN RAISE EXCEPTION 'no route "%": a lead creates it with "verdict team route set"', p_to_route; END IF;
  IF it.status <> 'open' THEN RAISE EXCEPTION 'item % is %, not open: only an item under review can be escalated', p_item, it.status; END IF;
  PERFORM verdict.end_own_lease(p_item, p_token);
  v_due := v_at + make_interval(secs => r.expert_sla_seconds);
  INSERT INTO verdict.escalations (item_id, from_route, to_route, asked_by, question, first_decision, first_labels, asked_at, due_at)
    VALUES (p_item, it.route, p_to_route, session_user, p_question, p_first_decision, coalesce(p_first_labels, '[]'), v_at, v_due)
    RETURNING id INTO v_id;
  UPDATE verdict.items SET status = 'expert' WHERE id = p_item;
  PERFORM verdict.audit('item.escalated', p_item::text, jsonb_build_object('escalation', v_id::text, 'token', p_token::text,
    'to_route', p_to_route, 'question', p_question, 'first_decision', p_first_decision, 'first_labels', coalesce(p_first_labels, '[]'),
    'asked_at', verdict.ts_text(v_at), 'due_at', verdict.ts_text(v_due), 'from', it.status, 'to', 'expert'));
  PERFORM verdict.withdraw_leases(p_item, 'item.escalated', v_at);
  RETURN v_id;
END $$;

CREATE OR REPLACE FUNCTION verdict.hold(p_item bigint, p_token bigint, p_reason text, p_review_by timestamptz) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it verdict.items; v_id bigint; v_at timestamptz := clock_timestamp(); v_role text := verdict.require_member();
BEGIN
  SELECT * INTO it FROM verdict.items WHERE id = p_item FOR UPDATE;
  IF it.id IS NULL OR NOT (verdict.on_my_route(it.route) OR v_role = 'lead') THEN
    RAISE EXCEPTION 'item % does not exist or is not on your routes', p_item USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF it.status NOT IN ('open', 'adjudication') THEN RAISE EXCEPTION 'item % is %: only an open item or one waiting for adjudication can be held', p_item, it.status; END IF;
  IF p_token IS NOT NULL THEN
    PERFORM verdict.end_own_lease(p_item, p_token);
  ELSIF v_role <> 'lead' THEN
    RAISE EXCEPTION 'hold the item you have claimed (its lease), or ask a lead' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO verdict.holds (item_id, held_by, reason, review_by, prior_status, held_at)
    VALUES (p_item, session_user, p_reason, p_review_by, it.status, v_at) RETURNING id INTO v_id;
  UPDATE verdict.items SET status = 'on_hold' WHERE id = p_item;
  PERFORM verdict.audit('item.held', p_item::text, jsonb_build_object('hold', v_id::text, 'token', p_token::text, 'reason', p_reason,
    'review_by', verdict.ts_text(p_review_by), 'held_at', verdict.ts_text(v_at), 'from', it.status, 'to', 'on_hold'));
  PERFORM verdict.withdraw_leases(p_item, 'item.held', v_at);
  RETURN v_id;
END $$;

-- Why my lease ended without me: the escalation or hold that withdrew it (no row otherwise).
CREATE FUNCTION verdict.lease_withdrawal(p_item bigint, p_token bigint)
  RETURNS TABLE (because text, by_whom text, at text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT x.because, x.by_whom, verdict.ts_text(x.at) FROM verdict.leases l
  CROSS JOIN LATERAL (
    SELECT 'escalated'::text AS because, e.asked_by::text AS by_whom, e.asked_at AS at FROM verdict.escalations e
      WHERE e.item_id = l.item_id AND e.asked_at = l.ended_at AND e.asked_by <> l.reviewer
    UNION ALL
    SELECT 'held', h.held_by::text, h.held_at FROM verdict.holds h
      WHERE h.item_id = l.item_id AND h.held_at = l.ended_at AND h.held_by <> l.reviewer) x
  WHERE l.token = p_token AND l.item_id = p_item AND l.reviewer = session_user AND l.state = 'released'
  LIMIT 1;
$$;

-- 4. The ratings behind the agreement statistics: every reviewer verdict (adjudications and
-- expert answers are decisions, not ratings; gold copies are tests, not items), item order then
-- reviewer in code-point order, as the local read. SECURITY INVOKER: the caller's RLS applies.
CREATE FUNCTION verdict.agreement_ratings(p_route text DEFAULT NULL, p_from date DEFAULT NULL, p_to date DEFAULT NULL)
  RETURNS TABLE (item_id bigint, reviewer text, decision text, labels jsonb, route text, period text)
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, verdict AS $$
BEGIN
  IF coalesce(verdict.my_role(), '') NOT IN ('lead', 'data') THEN
    RAISE EXCEPTION 'only lead or data may read agreement statistics; you are %', coalesce(verdict.my_role(), 'not a member')
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT v.item_id, v.reviewer::text, v.decision, v.labels, i.route, to_char(v.decided_at AT TIME ZONE 'UTC', 'YYYY-MM')
    FROM verdict.verdicts v JOIN verdict.items i ON i.id = v.item_id
    WHERE (p_route IS NULL OR i.route = p_route)
      AND (p_from IS NULL OR v.decided_at >= (p_from::timestamp AT TIME ZONE 'UTC'))
      AND (p_to IS NULL OR v.decided_at < ((p_to + 1)::timestamp AT TIME ZONE 'UTC'))
      AND NOT EXISTS (SELECT 1 FROM verdict.gold_serves s WHERE s.copy_item_id = v.item_id)
    ORDER BY v.item_id, v.reviewer COLLATE "C";
END $$;

REVOKE ALL ON FUNCTION verdict.blind_actor(name, boolean), verdict.gold_copy_slots(), verdict.withdraw_leases(bigint, text, timestamptz),
  verdict.lease_withdrawal(bigint, bigint), verdict.agreement_ratings(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.lease_withdrawal(bigint, bigint) TO verdict_member;
GRANT EXECUTE ON FUNCTION verdict.agreement_ratings(text, date, date) TO verdict_lead, verdict_data;
`;
