/**
 * Team schema v12 (tperf9, issue 12): fewer statements per verdict in claim and submit.
 *
 * The server's cost per verdict is per-statement set-up everywhere (executor start-up, index
 * visits, CHECK constraints read back): no single hot spot. So the same rules run in fewer
 * statements:
 * - claim (one item, every "next item"): my routes, the expired-lease probe and every route's
 *   unlocked head are one statement (a LATERAL read per route) instead of 2 + one per route; the
 *   tail (the lease, the item's slot, the lease.claimed leaf and the record read) is one statement
 *   with data-modifying CTEs instead of four. The locked select is unchanged: highest priority,
 *   oldest first of my routes, FOR UPDATE SKIP LOCKED, one route at a time, best head first.
 * - submit: the item (locked), my membership, my earlier verdict and the lease are one read; the
 *   verdict, the lease's end, the item's status and the verdict.submitted leaf are one write
 *   instead of the verdicts trigger reading the item and the lease again (two locked selects, an
 *   UPDATE of each and the leaf, each its own statement, in a SECURITY DEFINER function entered per
 *   row). The leaf is the same, field for field, so the replay does not change.
 * The trigger stays the guard for a verdict inserted directly (psql under one's own role): it now
 * fires only for rows whose revision is still the column default (0). A member may insert only the
 * verdict's own columns (column privileges below), so a direct insert always has revision 0 and the
 * trigger checks and completes it exactly as before; submit() writes the item's revision (>= 1)
 * itself, having checked the lease under the item's lock, and does the trigger's work in the same
 * statement.
 */
export const name = 'fewer_statements';

export const sql = String.raw`
-- claim(), as in 0008 (see there for the rules), with the statements folded.
CREATE OR REPLACE FUNCTION verdict.claim(p_route text DEFAULT NULL, p_n int DEFAULT 1)
  RETURNS TABLE (token bigint, item_id bigint, ext_id text, route text, priority smallint, created_at text,
                 revision int, content_sha256 text, record_text text, expires_at text, server_now text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE me name := session_user; v_routes text[]; v_now timestamptz; k int; j int; v_next int; v_expired boolean;
  h_pri smallint[]; h_at timestamptz[]; h_id bigint[]; v_tried boolean[];
  c record; best record; v_have boolean := false;
BEGIN
  IF p_n < 1 OR p_n > 500 THEN RAISE EXCEPTION 'claim: batch size must be 1 to 500, got %', p_n; END IF;
  -- A variable, not clock_timestamp() (volatile), so the expiry index bounds the probe.
  v_now := clock_timestamp();
  -- My routes, each one's head (unlocked) and whether a lease has run out, in one statement.
  FOR j IN 1 .. 2 LOOP
    SELECT array_agg(rm.route ORDER BY rm.route), array_agg(h.priority ORDER BY rm.route),
        array_agg(h.created_at ORDER BY rm.route), array_agg(h.id ORDER BY rm.route),
        EXISTS (SELECT 1 FROM verdict.leases l WHERE l.state = 'live' AND l.expires_at < v_now)
      INTO v_routes, h_pri, h_at, h_id, v_expired
      FROM verdict.route_members rm
      LEFT JOIN LATERAL (
        SELECT i.priority, i.created_at, i.id FROM verdict.items i
        WHERE i.route = rm.route AND i.status = 'open' AND i.open_slots > 0
          AND (i.required_reviews = 1 OR NOT EXISTS (
            SELECT 1 FROM verdict.leases l WHERE l.item_id = i.id AND l.reviewer = me AND l.state IN ('live', 'submitted')))
        ORDER BY i.priority, i.created_at, i.id LIMIT 1) h ON true
      WHERE rm.username = me AND (p_route IS NULL OR rm.route = p_route);
    IF v_routes IS NULL THEN
      -- A non-member gets the error; a member without (this) route gets nothing.
      PERFORM verdict.require_member();
      RETURN;
    END IF;
    EXIT WHEN NOT v_expired OR j = 2;
    -- Expired leases give their items back first; then the heads are read again.
    PERFORM verdict.reap_expired(20);
  END LOOP;
  IF p_n > 1 THEN
    RETURN QUERY SELECT * FROM verdict.claim_batch(v_routes, p_n);
    RETURN;
  END IF;
  k := cardinality(v_routes);
  v_tried := array_fill(false, ARRAY[k]);
  -- With one route there is nothing to choose: lock it directly.
  IF k = 1 THEN h_pri[1] := 0; h_at[1] := v_now; h_id[1] := 0; END IF;
  LOOP
    -- The untried route with the best head.
    v_next := NULL;
    FOR j IN 1 .. k LOOP
      CONTINUE WHEN v_tried[j] OR h_id[j] IS NULL;
      IF v_next IS NULL OR (h_pri[j], h_at[j], h_id[j]) < (h_pri[v_next], h_at[v_next], h_id[v_next]) THEN v_next := j; END IF;
    END LOOP;
    EXIT WHEN v_next IS NULL;
    -- (Nested: plpgsql does not promise to skip the second operand of AND.)
    IF v_have THEN
      EXIT WHEN (best.priority, best.created_at, best.id) <= (h_pri[v_next], h_at[v_next], h_id[v_next]);
    END IF;
    v_tried[v_next] := true;
    -- A verdict of mine exists exactly when a submitted lease of mine does, so one lease probe
    -- covers "not reviewed by me" and "not leased to me"; an N = 1 item with a free slot has neither.
    SELECT i.id, i.ext_id, i.route, i.priority, i.created_at, i.revision, i.content_sha256 INTO c FROM verdict.items i
      WHERE i.route = v_routes[v_next] AND i.status = 'open' AND i.open_slots > 0
        AND (i.required_reviews = 1 OR NOT EXISTS (
          SELECT 1 FROM verdict.leases l WHERE l.item_id = i.id AND l.reviewer = me AND l.state IN ('live', 'submitted')))
      ORDER BY i.priority, i.created_at, i.id LIMIT 1
      FOR UPDATE OF i SKIP LOCKED;
    IF FOUND THEN
      IF NOT v_have THEN
        best := c; v_have := true;
      ELSIF (c.priority, c.created_at, c.id) < (best.priority, best.created_at, best.id) THEN
        best := c;
      END IF;
    END IF;
  END LOOP;
  IF NOT v_have THEN RETURN; END IF;
  -- The lease, the item's slot, the lease.claimed leaf and the answer: one statement.
  RETURN QUERY
  WITH l AS (
    INSERT INTO verdict.leases (item_id, reviewer, expires_at)
    SELECT best.id, me, clock_timestamp() + make_interval(secs => ro.lease_seconds) FROM verdict.routes ro WHERE ro.name = best.route
    RETURNING leases.token, leases.expires_at
  ), u AS (
    UPDATE verdict.items i SET open_slots = i.open_slots - 1 WHERE i.id = best.id
  ), a AS (
    INSERT INTO verdict.audit_leaves (body)
    SELECT jsonb_build_object('v', 1, 'type', 'lease.claimed',
      'at', verdict.ts_text(clock_timestamp()), 'actor', me::text, 'subject', best.id::text,
      'data', jsonb_build_object('token', l.token::text, 'reviewer', me::text, 'route', best.route,
        'revision', best.revision, 'expires_at', verdict.ts_text(l.expires_at)))::text
    FROM l
  )
  SELECT l.token, best.id, best.ext_id, best.route, best.priority, verdict.ts_text(best.created_at), best.revision,
    best.content_sha256, rec.record_text, verdict.ts_text(l.expires_at), verdict.ts_text(clock_timestamp())
  FROM l, verdict.item_records rec WHERE rec.item_id = best.id;
END $$;

-- submit(), as in 0005 (same answers), with the verdicts trigger's work done here.
CREATE OR REPLACE FUNCTION verdict.submit(p_item bigint, p_token bigint, p_decision text, p_labels jsonb DEFAULT '[]',
                               p_severity text DEFAULT NULL, p_rationale text DEFAULT NULL, p_client_id text DEFAULT NULL)
  RETURNS TABLE (status text, message text, item_status text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE me name := session_user; it record; v_at timestamptz; v_status text;
BEGIN
  -- The item's lock serializes every change of its leases (claim, expiry, release and the rest
  -- lock the item first), so the lease read here is still true at the write below.
  SELECT i.id, i.status, i.revision, i.required_reviews,
      EXISTS (SELECT 1 FROM verdict.route_members rm WHERE rm.username = me AND rm.route = i.route) AS mine,
      (SELECT v.lease_token FROM verdict.verdicts v WHERE v.item_id = i.id AND v.reviewer = me) AS prior_token,
      l.token AS l_token, l.item_id AS l_item, l.reviewer AS l_reviewer, l.state AS l_state, l.expires_at AS l_expires
    INTO it FROM verdict.items i LEFT JOIN verdict.leases l ON l.token = p_token
    WHERE i.id = p_item FOR UPDATE OF i;
  IF NOT FOUND OR NOT it.mine THEN
    PERFORM verdict.require_member();
    RETURN QUERY SELECT 'refused'::text, format('item %s does not exist or is not on your routes', p_item), NULL::text;
    RETURN;
  END IF;
  IF it.prior_token IS NOT NULL THEN
    IF it.prior_token = p_token THEN
      RETURN QUERY SELECT 'accepted'::text, format('already recorded: your verdict on item %s (a retried submit)', p_item), it.status;
    ELSE
      RETURN QUERY SELECT 'refused'::text, format('you already gave a verdict on item %s; one verdict per reviewer', p_item), NULL::text;
    END IF;
    RETURN;
  END IF;
  IF it.l_token IS NULL OR it.l_item <> p_item OR it.l_reviewer <> me THEN
    RETURN QUERY SELECT 'refused'::text, format('no lease %s of yours on item %s: claim the item first', p_token, p_item), NULL::text;
    RETURN;
  END IF;
  v_at := clock_timestamp();
  IF it.l_state = 'expired' OR (it.l_state = 'live' AND it.l_expires <= v_at) THEN
    PERFORM verdict.expire_lease(it.l_token, p_item, NULL);
    RETURN QUERY SELECT 'expired'::text,
      format('your lease on item %s expired at %s and the item went back to the queue; the verdict was not recorded on the team server', p_item, verdict.ts_text(it.l_expires)),
      NULL::text;
    RETURN;
  END IF;
  IF it.l_state <> 'live' THEN
    RETURN QUERY SELECT 'refused'::text, format('your lease on item %s was %s; claim it again to review it', p_item, it.l_state), NULL::text;
    RETURN;
  END IF;
  -- What the verdicts trigger does for a direct insert (0008), in one statement: the lease ends
  -- (only if still live: the verdict is written only then), the verdict (revision set, so the
  -- trigger stays out), the item's status once N verdicts are in (a live lease held a slot, so an
  -- N = 1 item has no other verdict; the count does not see the new row) and the leaf.
  WITH l AS (
    UPDATE verdict.leases SET state = 'submitted', ended_at = v_at
    WHERE token = p_token AND state = 'live' AND expires_at > v_at
    RETURNING leases.token
  ), v AS (
    INSERT INTO verdict.verdicts (item_id, reviewer, lease_token, revision, decision, labels, severity, rationale, client_id, decided_at)
    SELECT p_item, me, l.token, it.revision, p_decision, coalesce(p_labels, '[]'), p_severity, p_rationale, p_client_id, v_at FROM l
    RETURNING verdicts.id, verdicts.labels
  ), n AS (
    SELECT CASE WHEN count(*) + 1 < it.required_reviews THEN NULL
                WHEN bool_and(o.decision = p_decision) IS NOT FALSE THEN 'decided' ELSE 'adjudication' END AS to_status
    FROM verdict.verdicts o WHERE it.required_reviews > 1 AND o.item_id = p_item
  ), s AS (
    UPDATE verdict.items i SET status = n.to_status FROM n, v WHERE i.id = p_item AND n.to_status IS NOT NULL
  ), a AS (
    INSERT INTO verdict.audit_leaves (body)
    SELECT jsonb_build_object('v', 1, 'type', 'verdict.submitted',
      'at', verdict.ts_text(clock_timestamp()), 'actor', me::text, 'subject', p_item::text,
      'data', jsonb_strip_nulls(jsonb_build_object('item_status',
          CASE WHEN n.to_status IS NOT NULL THEN jsonb_build_object('from', it.status, 'to', n.to_status) END)) || jsonb_build_object(
        'id', v.id::text, 'token', p_token::text, 'reviewer', me::text, 'decision', p_decision,
        'labels', v.labels, 'severity', p_severity, 'rationale', p_rationale, 'client_id', p_client_id,
        'revision', it.revision, 'decided_at', verdict.ts_text(v_at)))::text
    FROM v, n
  )
  SELECT coalesce(n.to_status, it.status) INTO v_status FROM v, n;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'verdict refused: lease % on item % is no longer live', p_token, p_item USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY SELECT 'accepted'::text, format('verdict on item %s recorded', p_item), v_status;
END $$;

-- The trigger checks and completes a verdict inserted directly (revision left at its default);
-- submit() writes the revision and does the same work itself.
DROP TRIGGER verdicts_insert ON verdict.verdicts;
CREATE TRIGGER verdicts_insert BEFORE INSERT ON verdict.verdicts FOR EACH ROW
  WHEN (NEW.revision = 0) EXECUTE FUNCTION verdict.verdict_insert();
-- ... so a member may insert a verdict's own columns only, never its revision (or id, time).
REVOKE INSERT ON verdict.verdicts FROM verdict_member;
GRANT INSERT (item_id, reviewer, lease_token, decision, labels, severity, rationale, client_id) ON verdict.verdicts TO verdict_member;
`;
