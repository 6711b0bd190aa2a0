/**
 * Expert review in team mode (issue 13): adjudication of disagreements with its own lease, the
 * expert pool (escalate with a question, SLA clock, verdict or consult note, overturn recorded),
 * hold and reopen with lineage, and gold items mixed into claims at a per-route rate.
 *
 * Every step is a SECURITY DEFINER function that locks the item row first (the lock order of
 * 0002), changes state and appends its audit event in the same transaction; electron/core/team/
 * replay.ts replays the events. The new tables are readable by leads only: everyone else goes
 * through the functions, so a reviewer can never read which items are gold.
 *
 * Gold mixing does not touch verdict.claim (tperf owns its body): verdict.claim_mixed decides
 * with random() < the route's gold_rate, then serves a private copy of a gold item (a new item
 * row whose only free slot is the served reviewer's, audited as an ingest) or calls verdict.claim.
 */
export const name = 'expert_review';

export const sql = String.raw`
ALTER TABLE verdict.items DROP CONSTRAINT items_status_check;
ALTER TABLE verdict.items ADD CONSTRAINT items_status_check
  CHECK (status IN ('open', 'decided', 'adjudication', 'expert', 'on_hold'));

ALTER TABLE verdict.routes
  ADD COLUMN gold_rate real NOT NULL DEFAULT 0 CHECK (gold_rate >= 0 AND gold_rate <= 1),
  ADD COLUMN expert_sla_seconds int NOT NULL DEFAULT 86400 CHECK (expert_sla_seconds BETWEEN 60 AND 31536000);

CREATE TABLE verdict.adjudication_leases (
  token bigint PRIMARY KEY DEFAULT nextval('verdict.fencing_token'),
  item_id bigint NOT NULL REFERENCES verdict.items,
  adjudicator name NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  expires_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'decided', 'expired'))
);
CREATE UNIQUE INDEX adjudication_leases_one_live ON verdict.adjudication_leases (item_id) WHERE state = 'live';

CREATE TABLE verdict.adjudications (
  id bigserial PRIMARY KEY,
  item_id bigint NOT NULL REFERENCES verdict.items,
  adjudicator name NOT NULL,
  token bigint NOT NULL REFERENCES verdict.adjudication_leases,
  decision text NOT NULL CHECK (decision IN ('violation', 'dismiss', 'escalate')),
  labels jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(labels) = 'array'),
  severity text,
  rationale text,
  decided_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX adjudications_item ON verdict.adjudications (item_id);

CREATE TABLE verdict.escalations (
  id bigserial PRIMARY KEY,
  item_id bigint NOT NULL REFERENCES verdict.items,
  from_route text NOT NULL,
  to_route text NOT NULL REFERENCES verdict.routes,
  asked_by name NOT NULL,
  question text NOT NULL CHECK (length(question) BETWEEN 1 AND 10000),
  first_decision text NOT NULL CHECK (first_decision IN ('violation', 'dismiss')),
  first_labels jsonb NOT NULL DEFAULT '[]',
  asked_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  holder name,
  token bigint,
  lease_expires_at timestamptz,
  state text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'answered')),
  answered_by name,
  answer_kind text CHECK (answer_kind IN ('verdict', 'consult')),
  decision text CHECK (decision IN ('violation', 'dismiss')),
  labels jsonb,
  severity text,
  note text,
  answered_at timestamptz,
  overturned boolean
);
CREATE INDEX escalations_waiting ON verdict.escalations (to_route, due_at) WHERE state = 'waiting';
CREATE INDEX escalations_item ON verdict.escalations (item_id);

CREATE TABLE verdict.holds (
  id bigserial PRIMARY KEY,
  item_id bigint NOT NULL REFERENCES verdict.items,
  held_by name NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  review_by timestamptz NOT NULL,
  prior_status text NOT NULL,
  held_at timestamptz NOT NULL,
  released_by name,
  released_at timestamptz
);
CREATE UNIQUE INDEX holds_one_open ON verdict.holds (item_id) WHERE released_at IS NULL;

CREATE TABLE verdict.reopens (
  id bigserial PRIMARY KEY,
  item_id bigint NOT NULL REFERENCES verdict.items,
  reopened_by name NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  from_status text NOT NULL,
  at timestamptz NOT NULL
);

-- verdict.gold_items (item_id, decision, labels, marked_by, marked_at) was created by 0006 (exports
-- leave gold items out); here it only gains the shape check every labels column has.
ALTER TABLE verdict.gold_items ADD CONSTRAINT gold_items_labels_array CHECK (jsonb_typeof(labels) = 'array');

-- One private copy per (gold item, reviewer): the copy is what the reviewer claims and judges.
CREATE TABLE verdict.gold_serves (
  copy_item_id bigint PRIMARY KEY REFERENCES verdict.items,
  gold_item_id bigint NOT NULL REFERENCES verdict.gold_items,
  reviewer name NOT NULL,
  served_at timestamptz NOT NULL,
  UNIQUE (gold_item_id, reviewer)
);

-- ---------------------------------------------------------------------------------------------
-- Small helpers.

CREATE FUNCTION verdict.require_role(p_roles text[], p_what text) RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE r text := verdict.require_member();
BEGIN
  IF NOT (r = ANY (p_roles)) THEN
    RAISE EXCEPTION 'only % may %; you are %', array_to_string(p_roles, ' or '), p_what, r USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN r;
END $$;

CREATE FUNCTION verdict.same_labels(a jsonb, b jsonb) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce((SELECT array_agg(x ORDER BY x) FROM jsonb_array_elements_text(coalesce(a, '[]')) x), '{}')
       = coalesce((SELECT array_agg(x ORDER BY x) FROM jsonb_array_elements_text(coalesce(b, '[]')) x), '{}');
$$;

-- Ends the caller's live lease on an item (the first-line reviewer escalating or holding it):
-- the slot returns; the caller's event carries the token. Raises when the lease is not live.
CREATE FUNCTION verdict.end_own_lease(p_item bigint, p_token bigint) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
BEGIN
  UPDATE verdict.leases SET state = 'released', ended_at = clock_timestamp()
    WHERE token = p_token AND item_id = p_item AND reviewer = session_user AND state = 'live' AND expires_at > clock_timestamp();
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no live lease % of yours on item %: claim the item first', p_token, p_item USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE verdict.items SET open_slots = open_slots + 1 WHERE id = p_item;
END $$;

-- Row-level security for items: gold items and other people's gold copies stay invisible to
-- everyone but leads and data roles.
CREATE FUNCTION verdict.gold_hidden(p_item bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT EXISTS (SELECT 1 FROM verdict.gold_items g WHERE g.item_id = p_item)
      OR EXISTS (SELECT 1 FROM verdict.gold_serves s WHERE s.copy_item_id = p_item AND s.reviewer <> session_user);
$$;
DROP POLICY items_read ON verdict.items;
CREATE POLICY items_read ON verdict.items FOR SELECT TO verdict_member
  USING (verdict.sees_all() OR (verdict.on_my_route(route) AND NOT verdict.gold_hidden(id)));

CREATE FUNCTION verdict.set_route_expert(p_route text, p_gold_rate real, p_sla_seconds int) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE r verdict.routes;
BEGIN
  IF coalesce(verdict.my_role(), '') <> 'lead' AND NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user) THEN
    RAISE EXCEPTION 'only a lead or an administrator may change routes' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM verdict.ensure_route(p_route);
  UPDATE verdict.routes SET gold_rate = coalesce(p_gold_rate, gold_rate), expert_sla_seconds = coalesce(p_sla_seconds, expert_sla_seconds)
    WHERE name = p_route RETURNING * INTO r;
  PERFORM verdict.audit('route.expert', p_route, jsonb_build_object('gold_rate', r.gold_rate, 'expert_sla_seconds', r.expert_sla_seconds));
END $$;

-- ---------------------------------------------------------------------------------------------
-- 1. Adjudication.

CREATE FUNCTION verdict.claim_adjudication(p_route text DEFAULT NULL)
  RETURNS TABLE (token bigint, item_id bigint, ext_id text, route text, blind boolean, record_text text, expires_at text, server_now text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE me name := session_user; it record; l record; v_token bigint; v_exp timestamptz;
BEGIN
  PERFORM verdict.require_role(ARRAY['adjudicator', 'lead'], 'adjudicate');
  -- Adjudication leases that ran out free their item first.
  FOR l IN SELECT a.token, a.item_id FROM verdict.adjudication_leases a
           WHERE a.state = 'live' AND a.expires_at < clock_timestamp() LIMIT 20 LOOP
    PERFORM 1 FROM verdict.items WHERE id = l.item_id FOR UPDATE SKIP LOCKED;
    CONTINUE WHEN NOT FOUND;
    UPDATE verdict.adjudication_leases SET state = 'expired' WHERE token = l.token AND state = 'live';
    PERFORM verdict.audit('adjudication.expired', l.item_id::text, jsonb_build_object('token', l.token::text));
  END LOOP;
  SELECT i.id, i.ext_id, i.route, r.blind, (SELECT rec.record_text FROM verdict.item_records rec WHERE rec.item_id = i.id) AS record_text,
      r.lease_seconds INTO it
    FROM verdict.items i JOIN verdict.routes r ON r.name = i.route
    WHERE i.status = 'adjudication' AND (p_route IS NULL OR i.route = p_route)
      AND (verdict.sees_all() OR verdict.on_my_route(i.route))
      AND NOT EXISTS (SELECT 1 FROM verdict.adjudication_leases a WHERE a.item_id = i.id AND a.state = 'live')
    ORDER BY i.priority, i.created_at, i.id
    LIMIT 1 FOR UPDATE OF i SKIP LOCKED;
  IF it.id IS NULL THEN RETURN; END IF;
  v_exp := clock_timestamp() + make_interval(secs => it.lease_seconds);
  INSERT INTO verdict.adjudication_leases (item_id, adjudicator, expires_at) VALUES (it.id, me, v_exp) RETURNING adjudication_leases.token INTO v_token;
  PERFORM verdict.audit('adjudication.claimed', it.id::text, jsonb_build_object('token', v_token::text, 'adjudicator', me::text,
    'expires_at', verdict.ts_text(v_exp)));
  RETURN QUERY SELECT v_token, it.id, it.ext_id, it.route, it.blind, it.record_text, verdict.ts_text(v_exp), verdict.ts_text(clock_timestamp());
END $$;

-- The N verdicts side by side for the adjudicator holding the item (or a lead). On a blind route
-- the names stay hidden ("Reviewer 1", "Reviewer 2" in submission order) until it is decided.
CREATE FUNCTION verdict.item_verdicts(p_item bigint)
  RETURNS TABLE (n int, reviewer text, decision text, labels jsonb, severity text, rationale text, decided_at text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE it record; v_role text := verdict.require_role(ARRAY['adjudicator', 'lead', 'expert'], 'read the verdicts side by side');
BEGIN
  SELECT i.id, i.route, i.status, r.blind INTO it FROM verdict.items i JOIN verdict.routes r ON r.name = i.route WHERE i.id = p_item;
  IF it.id IS NULL OR NOT (verdict.sees_all() OR verdict.on_my_route(it.route)
      OR EXISTS (SELECT 1 FROM verdict.escalations e WHERE e.item_id = p_item AND verdict.on_my_route(e.to_route))) THEN
    RAISE EXCEPTION 'item % does not exist or is not on your routes', p_item USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT (row_number() OVER (ORDER BY v.id))::int,
      CASE WHEN it.blind AND it.status <> 'decided' AND v_role <> 'lead' THEN 'Reviewer ' || row_number() OVER (ORDER BY v.id) ELSE v.reviewer::text END,
      v.decision, v.labels, v.severity, v.rationale, verdict.ts_text(v.decided_at)
    FROM verdict.verdicts v WHERE v.item_id = p_item ORDER BY v.id;
END $$;

CREATE FUNCTION verdict.decide_adjudication(p_item bigint, p_token bigint, p_decision text, p_labels jsonb DEFAULT '[]',
                                            p_severity text DEFAULT NULL, p_rationale text DEFAULT NULL)
  RETURNS TABLE (status text, message text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE it verdict.items; l verdict.adjudication_leases; v_id bigint; v_at timestamptz := clock_timestamp();
BEGIN
  PERFORM verdict.require_role(ARRAY['adjudicator', 'lead'], 'adjudicate');
  SELECT * INTO it FROM verdict.items WHERE id = p_item FOR UPDATE;
  SELECT * INTO l FROM verdict.adjudication_leases WHERE token = p_token FOR UPDATE;
  IF it.id IS NULL OR l.token IS NULL OR l.item_id <> p_item OR l.adjudicator <> session_user THEN
    RETURN QUERY SELECT 'refused'::text, format('no adjudication lease %s of yours on item %s: claim it first', p_token, p_item);
    RETURN;
  END IF;
  IF l.state <> 'live' OR l.expires_at <= v_at OR it.status <> 'adjudication' THEN
    RETURN QUERY SELECT 'expired'::text, format('your adjudication lease on item %s ended (%s); claim it again', p_item,
      CASE WHEN l.state = 'live' THEN 'expired' ELSE l.state END);
    RETURN;
  END IF;
  INSERT INTO verdict.adjudications (item_id, adjudicator, token, decision, labels, severity, rationale, decided_at)
    VALUES (p_item, session_user, p_token, p_decision, coalesce(p_labels, '[]'), p_severity, p_rationale, v_at) RETURNING id INTO v_id;
  UPDATE verdict.adjudication_leases SET state = 'decided' WHERE token = p_token;
  UPDATE verdict.items SET status = 'decided' WHERE id = p_item;
  PERFORM verdict.audit('adjudication.decided', p_item::text, jsonb_build_object('id', v_id::text, 'token', p_token::text,
    'adjudicator', session_user::text, 'decision', p_decision, 'labels', coalesce(p_labels, '[]'), 'severity', p_severity,
    'rationale', p_rationale, 'decided_at', verdict.ts_text(v_at), 'from', it.status, 'to', 'decided'));
  RETURN QUERY SELECT 'accepted'::text, format('adjudication of item %s recorded; it is the verdict in force', p_item);
END $$;

-- ---------------------------------------------------------------------------------------------
-- 2. Escalate to an expert route, the expert pool with its SLA clock, and the answer.

CREATE FUNCTION verdict.escalate(p_item bigint, p_token bigint, p_to_route text, p_question text,
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
  RETURN v_id;
END $$;

-- The expert pool: what is waiting on my expert routes (all routes for a lead), soonest due first.
CREATE FUNCTION verdict.expert_pool()
  RETURNS TABLE (escalation_id bigint, item_id bigint, ext_id text, from_route text, to_route text, question text,
                 asked_at text, due_at text, overdue boolean, held boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT e.id, e.item_id, i.ext_id, e.from_route, e.to_route, e.question, verdict.ts_text(e.asked_at), verdict.ts_text(e.due_at),
    e.due_at < clock_timestamp(), e.holder IS NOT NULL AND e.lease_expires_at > clock_timestamp()
  FROM verdict.escalations e JOIN verdict.items i ON i.id = e.item_id
  WHERE e.state = 'waiting' AND verdict.require_member() IS NOT NULL
    AND (verdict.sees_all() OR (verdict.my_role() IN ('expert', 'adjudicator') AND verdict.on_my_route(e.to_route)))
  ORDER BY e.due_at, e.id;
$$;

CREATE FUNCTION verdict.claim_expert(p_route text DEFAULT NULL)
  RETURNS TABLE (escalation_id bigint, token bigint, item_id bigint, ext_id text, from_route text, to_route text, question text,
                 first_decision text, first_labels jsonb, asked_by text, due_at text, record_text text, expires_at text, server_now text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE me name := session_user; c record; v_token bigint; v_exp timestamptz;
BEGIN
  PERFORM verdict.require_role(ARRAY['expert', 'lead'], 'answer escalations');
  SELECT e.id AS eid, e.holder, e.token AS old_token, i.id AS iid, r.lease_seconds INTO c
    FROM verdict.escalations e JOIN verdict.items i ON i.id = e.item_id JOIN verdict.routes r ON r.name = e.to_route
    WHERE e.state = 'waiting' AND (p_route IS NULL OR e.to_route = p_route)
      AND (verdict.sees_all() OR verdict.on_my_route(e.to_route))
      AND (e.holder IS NULL OR e.lease_expires_at <= clock_timestamp())
    ORDER BY e.due_at, e.id
    LIMIT 1 FOR UPDATE OF i, e SKIP LOCKED;
  IF c.eid IS NULL THEN RETURN; END IF;
  IF c.holder IS NOT NULL THEN
    PERFORM verdict.audit('expert.expired', c.iid::text, jsonb_build_object('escalation', c.eid::text, 'token', c.old_token::text));
  END IF;
  v_token := nextval('verdict.fencing_token');
  v_exp := clock_timestamp() + make_interval(secs => c.lease_seconds);
  UPDATE verdict.escalations SET holder = me, token = v_token, lease_expires_at = v_exp WHERE id = c.eid;
  PERFORM verdict.audit('expert.claimed', c.iid::text, jsonb_build_object('escalation', c.eid::text, 'token', v_token::text,
    'expert', me::text, 'expires_at', verdict.ts_text(v_exp)));
  RETURN QUERY SELECT e.id, v_token, e.item_id, i.ext_id, e.from_route, e.to_route, e.question, e.first_decision, e.first_labels,
      e.asked_by::text, verdict.ts_text(e.due_at), rec.record_text, verdict.ts_text(v_exp), verdict.ts_text(clock_timestamp())
    FROM verdict.escalations e JOIN verdict.items i ON i.id = e.item_id JOIN verdict.item_records rec ON rec.item_id = e.item_id
    WHERE e.id = c.eid;
END $$;

-- The expert answers with a verdict (the item is decided; the verdict is in force and the
-- overturn is recorded) or a consult note (the item returns to the first-line queue with it).
CREATE FUNCTION verdict.answer_expert(p_escalation bigint, p_token bigint, p_kind text, p_decision text DEFAULT NULL,
                                      p_labels jsonb DEFAULT '[]', p_severity text DEFAULT NULL, p_note text DEFAULT NULL)
  RETURNS TABLE (status text, message text, overturned boolean)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE e verdict.escalations; it verdict.items; v_at timestamptz := clock_timestamp(); v_over boolean; v_to text;
BEGIN
  PERFORM verdict.require_role(ARRAY['expert', 'lead'], 'answer escalations');
  SELECT * INTO e FROM verdict.escalations WHERE id = p_escalation;
  IF e.id IS NULL THEN
    RETURN QUERY SELECT 'refused'::text, format('no escalation %s', p_escalation), NULL::boolean;
    RETURN;
  END IF;
  SELECT * INTO it FROM verdict.items WHERE id = e.item_id FOR UPDATE;
  SELECT * INTO e FROM verdict.escalations WHERE id = p_escalation FOR UPDATE;
  IF e.holder IS DISTINCT FROM session_user OR e.token IS DISTINCT FROM p_token THEN
    RETURN QUERY SELECT 'refused'::text, format('escalation %s is not claimed by you with lease %s', p_escalation, p_token), NULL::boolean;
    RETURN;
  END IF;
  IF e.state <> 'waiting' OR e.lease_expires_at <= v_at THEN
    RETURN QUERY SELECT 'expired'::text, format('your lease on escalation %s ended; claim it again', p_escalation), NULL::boolean;
    RETURN;
  END IF;
  IF p_kind = 'verdict' THEN
    IF p_decision NOT IN ('violation', 'dismiss') THEN RAISE EXCEPTION 'an expert verdict is violation or dismiss, got %', p_decision; END IF;
    v_over := p_decision <> e.first_decision OR NOT verdict.same_labels(p_labels, e.first_labels);
    v_to := 'decided';
  ELSIF p_kind = 'consult' THEN
    IF coalesce(length(p_note), 0) = 0 THEN RAISE EXCEPTION 'a consult note needs its text'; END IF;
    v_to := 'open';
  ELSE
    RAISE EXCEPTION 'an answer is a verdict or a consult note, got %', p_kind;
  END IF;
  UPDATE verdict.escalations SET state = 'answered', answered_by = session_user, answer_kind = p_kind,
    decision = CASE WHEN p_kind = 'verdict' THEN p_decision END, labels = CASE WHEN p_kind = 'verdict' THEN coalesce(p_labels, '[]') END,
    severity = p_severity, note = p_note, answered_at = v_at, overturned = v_over
    WHERE id = p_escalation;
  UPDATE verdict.items SET status = v_to WHERE id = e.item_id;
  PERFORM verdict.audit('expert.answered', e.item_id::text, jsonb_build_object('escalation', p_escalation::text, 'token', p_token::text,
    'expert', session_user::text, 'kind', p_kind, 'decision', CASE WHEN p_kind = 'verdict' THEN p_decision END,
    'labels', CASE WHEN p_kind = 'verdict' THEN coalesce(p_labels, '[]') END, 'severity', p_severity, 'note', p_note,
    'answered_at', verdict.ts_text(v_at), 'overturned', v_over, 'from', it.status, 'to', v_to));
  RETURN QUERY SELECT 'accepted'::text,
    CASE WHEN p_kind = 'verdict' THEN format('expert verdict on item %s recorded%s', e.item_id, CASE WHEN v_over THEN ' (overturns the first-line verdict)' ELSE '' END)
         ELSE format('consult note on item %s sent; the item is back in the %s queue', e.item_id, e.from_route) END,
    v_over;
END $$;

-- Consult notes the first-line reviewers of an item may read (the item's route members).
CREATE FUNCTION verdict.consult_notes(p_item bigint)
  RETURNS TABLE (escalation_id bigint, question text, note text, expert text, answered_at text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT e.id, e.question, e.note, e.answered_by::text, verdict.ts_text(e.answered_at)
  FROM verdict.escalations e JOIN verdict.items i ON i.id = e.item_id
  WHERE e.item_id = p_item AND e.answer_kind = 'consult' AND (verdict.sees_all() OR verdict.on_my_route(i.route))
  ORDER BY e.id;
$$;

-- Expert overturn rate per route, label and model (leads).
CREATE FUNCTION verdict.expert_overturns()
  RETURNS TABLE (route text, label text, model text, answered int, overturned int)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
BEGIN
  PERFORM verdict.require_role(ARRAY['lead', 'data'], 'read overturn rates');
  RETURN QUERY
    SELECT e.from_route, lb.label, coalesce(rec.record_text::jsonb -> 'provenance' ->> 'gen_ai.request.model', '(unknown)'),
      count(*)::int, count(*) FILTER (WHERE e.overturned)::int
    FROM verdict.escalations e JOIN verdict.item_records rec ON rec.item_id = e.item_id
    CROSS JOIN LATERAL (
      SELECT x AS label FROM jsonb_array_elements_text(e.first_labels || coalesce(e.labels, '[]')) x
      UNION SELECT '(any)') lb
    WHERE e.answer_kind = 'verdict'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
END $$;

-- ---------------------------------------------------------------------------------------------
-- 3. Hold and reopen.

-- A reviewer holds the item they have claimed (their lease ends); a lead may hold any open item
-- or one waiting for adjudication (token NULL).
CREATE FUNCTION verdict.hold(p_item bigint, p_token bigint, p_reason text, p_review_by timestamptz) RETURNS bigint
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
  RETURN v_id;
END $$;

CREATE FUNCTION verdict.release_hold(p_item bigint) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it verdict.items; h verdict.holds; v_at timestamptz := clock_timestamp();
BEGIN
  PERFORM verdict.require_member();
  SELECT * INTO it FROM verdict.items WHERE id = p_item FOR UPDATE;
  SELECT * INTO h FROM verdict.holds WHERE item_id = p_item AND released_at IS NULL;
  IF h.id IS NULL THEN RAISE EXCEPTION 'item % is not on hold', p_item; END IF;
  IF h.held_by <> session_user AND coalesce(verdict.my_role(), '') <> 'lead' THEN
    RAISE EXCEPTION 'only % (who held it) or a lead may release item %', h.held_by, p_item USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE verdict.holds SET released_by = session_user, released_at = v_at WHERE id = h.id;
  UPDATE verdict.items SET status = h.prior_status WHERE id = p_item;
  PERFORM verdict.audit('item.hold_released', p_item::text, jsonb_build_object('hold', h.id::text, 'released_at', verdict.ts_text(v_at),
    'from', 'on_hold', 'to', h.prior_status));
  RETURN h.prior_status;
END $$;

-- Everything on hold (leads; others see their own holds), overdue first.
CREATE FUNCTION verdict.holds_list()
  RETURNS TABLE (hold_id bigint, item_id bigint, ext_id text, route text, held_by text, reason text, review_by text, held_at text, overdue boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT h.id, h.item_id, i.ext_id, i.route, h.held_by::text, h.reason, verdict.ts_text(h.review_by), verdict.ts_text(h.held_at),
    h.review_by < clock_timestamp()
  FROM verdict.holds h JOIN verdict.items i ON i.id = h.item_id
  WHERE h.released_at IS NULL AND verdict.require_member() IS NOT NULL AND (verdict.sees_all() OR h.held_by = session_user)
  ORDER BY h.review_by < clock_timestamp() DESC, h.review_by, h.id;
$$;

-- A lead reopens a decided item: it goes back to adjudication, where the next decision is made
-- with every verdict, answer and reason so far in view (verdicts stay; one per reviewer).
CREATE FUNCTION verdict.reopen(p_item bigint, p_reason text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it verdict.items; v_at timestamptz := clock_timestamp(); v_id bigint;
BEGIN
  PERFORM verdict.require_role(ARRAY['lead'], 'reopen a decision');
  SELECT * INTO it FROM verdict.items WHERE id = p_item FOR UPDATE;
  IF it.id IS NULL THEN RAISE EXCEPTION 'no item %', p_item; END IF;
  IF it.status <> 'decided' THEN RAISE EXCEPTION 'item % is %: only a decided item can be reopened', p_item, it.status; END IF;
  IF EXISTS (SELECT 1 FROM verdict.gold_serves s WHERE s.copy_item_id = p_item) THEN RAISE EXCEPTION 'item % cannot be reopened', p_item; END IF;
  INSERT INTO verdict.reopens (item_id, reopened_by, reason, from_status, at) VALUES (p_item, session_user, p_reason, it.status, v_at) RETURNING id INTO v_id;
  UPDATE verdict.items SET status = 'adjudication' WHERE id = p_item;
  PERFORM verdict.audit('item.reopened', p_item::text, jsonb_build_object('reopen', v_id::text, 'reason', p_reason, 'at', verdict.ts_text(v_at),
    'from', it.status, 'to', 'adjudication'));
END $$;

-- The verdict in force, one definition (replacing 0006's, which knew only reviewers' verdicts):
-- the latest adjudication or expert verdict; else, for a decided item (its N reviewers agreed),
-- the newest reviewer verdict. Labels as a set in code-point order, as a local verdict keeps
-- them; revision is the item revision the decision was made on (exports flag a later one).
-- security_invoker: the reader's RLS applies.
DROP VIEW verdict.in_force;
CREATE VIEW verdict.in_force WITH (security_invoker = true) AS
  SELECT i.id AS item_id, f.kind, f.by_whom, f.verdict_id, f.decision,
    coalesce((SELECT jsonb_agg(x ORDER BY x) FROM (SELECT DISTINCT x COLLATE "C" AS x FROM jsonb_array_elements_text(f.labels) x) s), '[]'::jsonb) AS labels,
    f.severity, f.revision, f.at AS decided_at
  FROM verdict.items i
  CROSS JOIN LATERAL (
    SELECT * FROM (
      SELECT 'adjudication'::text AS kind, a.adjudicator::text AS by_whom, 'adjudication-' || a.id AS verdict_id, a.decision, a.labels,
          a.severity, i.revision, a.decided_at AS at
        FROM verdict.adjudications a WHERE a.item_id = i.id
      UNION ALL
      SELECT 'expert', e.answered_by::text, 'expert-' || e.id, e.decision, e.labels, e.severity, i.revision, e.answered_at
        FROM verdict.escalations e WHERE e.item_id = i.id AND e.answer_kind = 'verdict'
      UNION ALL
      (SELECT 'agreement', NULL, v.id::text, v.decision, v.labels, v.severity, v.revision, v.decided_at
        FROM verdict.verdicts v WHERE v.item_id = i.id AND i.status = 'decided'
        ORDER BY v.id DESC LIMIT 1)
    ) c ORDER BY (c.kind = 'agreement'), c.at DESC LIMIT 1) f;

-- Lineage: every verdict, adjudication, escalation, answer, hold and reopen on an item, in order.
CREATE FUNCTION verdict.item_history(p_item bigint)
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
    SELECT verdict.ts_text(e.asked_at), 'escalated to ' || e.to_route, e.asked_by::text, e.first_decision, e.first_labels, e.question FROM verdict.escalations e WHERE e.item_id = p_item
    UNION ALL
    SELECT verdict.ts_text(e.answered_at), 'expert ' || e.answer_kind, e.answered_by::text, e.decision, e.labels,
        CASE WHEN e.overturned THEN 'overturned the first-line verdict' ELSE e.note END
      FROM verdict.escalations e WHERE e.item_id = p_item AND e.state = 'answered'
    UNION ALL
    SELECT verdict.ts_text(h.held_at), 'hold', h.held_by::text, NULL, NULL, h.reason || ' (review by ' || verdict.ts_text(h.review_by) || ')' FROM verdict.holds h WHERE h.item_id = p_item
    UNION ALL
    SELECT verdict.ts_text(h.released_at), 'hold released', h.released_by::text, NULL, NULL, NULL FROM verdict.holds h WHERE h.item_id = p_item AND h.released_at IS NOT NULL
    UNION ALL
    SELECT verdict.ts_text(o.at), 'reopened', o.reopened_by::text, NULL, NULL, o.reason FROM verdict.reopens o WHERE o.item_id = p_item
  ) x ORDER BY x.at, x.kind;
END $$;

-- ---------------------------------------------------------------------------------------------
-- 4. Gold items.

CREATE FUNCTION verdict.mark_gold(p_item bigint, p_decision text, p_labels jsonb DEFAULT '[]') RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it verdict.items; v_at timestamptz := clock_timestamp();
BEGIN
  PERFORM verdict.require_role(ARRAY['lead'], 'mark gold items');
  SELECT * INTO it FROM verdict.items WHERE id = p_item FOR UPDATE;
  IF it.id IS NULL THEN RAISE EXCEPTION 'no item %', p_item; END IF;
  -- Only a decided item: an open one would still be handed out as itself, and a copy is never gold.
  IF it.status <> 'decided' THEN RAISE EXCEPTION 'item % is %: mark a decided item as gold', p_item, it.status; END IF;
  IF EXISTS (SELECT 1 FROM verdict.gold_serves s WHERE s.copy_item_id = p_item) THEN RAISE EXCEPTION 'item % cannot be gold', p_item; END IF;
  INSERT INTO verdict.gold_items (item_id, decision, labels, marked_by, marked_at) VALUES (p_item, p_decision, coalesce(p_labels, '[]'), session_user, v_at)
    ON CONFLICT (item_id) DO UPDATE SET decision = EXCLUDED.decision, labels = EXCLUDED.labels, marked_by = EXCLUDED.marked_by, marked_at = EXCLUDED.marked_at;
  PERFORM verdict.audit('gold.marked', p_item::text, jsonb_build_object('decision', p_decision, 'labels', coalesce(p_labels, '[]'),
    'marked_at', verdict.ts_text(v_at)));
END $$;

-- Claim one item, mixing gold in: with probability gold_rate of the route, a gold item of the
-- route that this reviewer has not seen is served as a private copy; otherwise verdict.claim.
-- The answer has claim()'s shape, and a copy reports its gold item's producer id, so neither the
-- app nor the reviewer can tell it apart.
CREATE FUNCTION verdict.claim_mixed(p_route text DEFAULT NULL)
  RETURNS TABLE (token bigint, item_id bigint, ext_id text, route text, priority smallint, created_at text,
                 revision int, content_sha256 text, record_text text, expires_at text, server_now text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE me name := session_user; g record; v_copy bigint; v_ext text; v_token bigint; v_exp timestamptz; v_at timestamptz := clock_timestamp();
BEGIN
  PERFORM verdict.require_member();
  SELECT gi.item_id, i.ext_id, i.source, i.route, i.priority, i.created_at, i.content_sha256,
      (SELECT rec.record_text FROM verdict.item_records rec WHERE rec.item_id = i.id) AS record_text, r.required_reviews,
      r.lease_seconds, r.gold_rate
    INTO g
    FROM verdict.routes r
    JOIN verdict.route_members rm ON rm.route = r.name AND rm.username = me
    JOIN verdict.items i ON i.route = r.name
    JOIN verdict.gold_items gi ON gi.item_id = i.id
    WHERE (p_route IS NULL OR r.name = p_route) AND r.gold_rate > 0
      AND NOT EXISTS (SELECT 1 FROM verdict.gold_serves s WHERE s.gold_item_id = gi.item_id AND s.reviewer = me)
      AND NOT EXISTS (SELECT 1 FROM verdict.verdicts v WHERE v.item_id = gi.item_id AND v.reviewer = me)
    ORDER BY random() LIMIT 1;
  -- One coin per claim, thrown only when a gold item is there to serve.
  IF g.item_id IS NULL OR random() >= g.gold_rate THEN
    RETURN QUERY SELECT * FROM verdict.claim(p_route, 1);
    RETURN;
  END IF;
  -- The copy's own slot is its only one (open_slots counts N - 1 fewer, and the replay knows it),
  -- so verdict.claim never hands it to anyone else while the lease lives.
  v_ext := g.ext_id || '~' || to_hex(nextval('verdict.fencing_token'));
  INSERT INTO verdict.items (ext_id, source, route, priority, created_at, required_reviews, open_slots, content_sha256)
    VALUES (v_ext, g.source, g.route, g.priority, g.created_at, g.required_reviews, 0, g.content_sha256)
    RETURNING id INTO v_copy;
  INSERT INTO verdict.item_records (item_id, record_text) VALUES (v_copy, g.record_text);
  PERFORM verdict.audit('item.ingested', v_copy::text, jsonb_build_object('ext_id', v_ext, 'source', g.source, 'route', g.route,
    'priority', g.priority, 'created_at', verdict.ts_text(g.created_at), 'required_reviews', g.required_reviews, 'content_sha256', g.content_sha256));
  INSERT INTO verdict.gold_serves (copy_item_id, gold_item_id, reviewer, served_at) VALUES (v_copy, g.item_id, me, v_at);
  PERFORM verdict.audit('gold.served', v_copy::text, jsonb_build_object('gold', g.item_id::text, 'reviewer', me::text));
  v_exp := clock_timestamp() + make_interval(secs => g.lease_seconds);
  INSERT INTO verdict.leases (item_id, reviewer, expires_at) VALUES (v_copy, me, v_exp) RETURNING leases.token INTO v_token;
  PERFORM verdict.audit('lease.claimed', v_copy::text, jsonb_build_object('token', v_token::text, 'reviewer', me::text,
    'route', g.route, 'revision', 1, 'expires_at', verdict.ts_text(v_exp)));
  RETURN QUERY SELECT v_token, v_copy, g.ext_id, g.route, g.priority, verdict.ts_text(g.created_at), 1, g.content_sha256, g.record_text,
    verdict.ts_text(v_exp), verdict.ts_text(clock_timestamp());
END $$;

-- Each reviewer's accuracy on the gold items served to them (leads; by route and month).
CREATE FUNCTION verdict.gold_accuracy()
  RETURNS TABLE (reviewer text, route text, month text, served int, answered int, correct int)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
BEGIN
  PERFORM verdict.require_role(ARRAY['lead'], 'read gold accuracy');
  RETURN QUERY
    SELECT s.reviewer::text, i.route, to_char(s.served_at AT TIME ZONE 'UTC', 'YYYY-MM'), count(*)::int, count(v.id)::int,
      count(*) FILTER (WHERE v.decision = g.decision AND verdict.same_labels(v.labels, g.labels))::int
    FROM verdict.gold_serves s JOIN verdict.gold_items g ON g.item_id = s.gold_item_id JOIN verdict.items i ON i.id = s.copy_item_id
    LEFT JOIN verdict.verdicts v ON v.item_id = s.copy_item_id AND v.reviewer = s.reviewer
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
END $$;

-- ---------------------------------------------------------------------------------------------
-- Permissions: the new tables are read by leads and data roles only; everyone acts through the
-- functions, which check the role and the route themselves.

REVOKE ALL ON verdict.adjudication_leases, verdict.adjudications, verdict.escalations, verdict.holds, verdict.reopens,
  verdict.gold_items, verdict.gold_serves, verdict.in_force FROM PUBLIC;
GRANT SELECT ON verdict.adjudication_leases, verdict.adjudications, verdict.escalations, verdict.holds, verdict.reopens,
  verdict.gold_items, verdict.gold_serves TO verdict_lead, verdict_data;
GRANT SELECT ON verdict.in_force TO verdict_lead, verdict_data;
DO $$
DECLARE t text;
BEGIN
  -- gold_items has its policy from 0006.
  FOREACH t IN ARRAY ARRAY['adjudication_leases', 'adjudications', 'escalations', 'holds', 'reopens', 'gold_serves'] LOOP
    EXECUTE format('ALTER TABLE verdict.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON verdict.%I FOR SELECT TO verdict_lead, verdict_data USING (true)', t || '_read', t);
  END LOOP;
END $$;

REVOKE ALL ON FUNCTION verdict.require_role(text[], text), verdict.same_labels(jsonb, jsonb),
  verdict.end_own_lease(bigint, bigint), verdict.gold_hidden(bigint), verdict.set_route_expert(text, real, int),
  verdict.claim_adjudication(text), verdict.item_verdicts(bigint), verdict.decide_adjudication(bigint, bigint, text, jsonb, text, text),
  verdict.escalate(bigint, bigint, text, text, text, jsonb), verdict.expert_pool(), verdict.claim_expert(text),
  verdict.answer_expert(bigint, bigint, text, text, jsonb, text, text), verdict.consult_notes(bigint), verdict.expert_overturns(),
  verdict.hold(bigint, bigint, text, timestamptz), verdict.release_hold(bigint), verdict.holds_list(), verdict.reopen(bigint, text),
  verdict.item_history(bigint), verdict.mark_gold(bigint, text, jsonb), verdict.claim_mixed(text), verdict.gold_accuracy() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.gold_hidden(bigint), verdict.claim_adjudication(text), verdict.item_verdicts(bigint),
  verdict.decide_adjudication(bigint, bigint, text, jsonb, text, text), verdict.escalate(bigint, bigint, text, text, text, jsonb),
  verdict.expert_pool(), verdict.claim_expert(text), verdict.answer_expert(bigint, bigint, text, text, jsonb, text, text),
  verdict.consult_notes(bigint), verdict.expert_overturns(), verdict.hold(bigint, bigint, text, timestamptz), verdict.release_hold(bigint),
  verdict.holds_list(), verdict.reopen(bigint, text), verdict.item_history(bigint), verdict.mark_gold(bigint, text, jsonb),
  verdict.claim_mixed(text), verdict.gold_accuracy() TO verdict_member;
GRANT EXECUTE ON FUNCTION verdict.set_route_expert(text, real, int) TO verdict_lead;
`;
