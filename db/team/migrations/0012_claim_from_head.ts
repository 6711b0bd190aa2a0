/**
 * Team schema v12 (tperf8b, issue 12): claim's locked select starts at the head it just read.
 *
 * Each claim takes its item out of the partial index items_claimable (open_slots reaches 0, or the
 * status changes), which leaves the item's old entry in the index until VACUUM. Under load the
 * front of each route in that index is a run of such entries: every claim since the table was
 * last vacuumed (autovacuum waits for 20 % of items to be dead: 200,000 verdicts at 1M items).
 * A scan from the route's start walks that run page by page, and claim made two such walks for
 * the route it took: the unlocked head read, then the locked select. In the 8-client bench the
 * locked select read ~40 buffers per verdict; measured on the per-verdict buffer count.
 *
 * Now the locked select starts at the head the unlocked read found, with a row comparison
 * the B-tree uses as its start key. Safe: an item before that head was not claimable in the
 * read's snapshot; one that became claimable since (a lease that ran out, a release) may be
 * missed by this one claim, exactly as if it had come back a moment later. With one route there
 * is no head read, and the locked select is unchanged.
 */
export const name = 'claim_from_head';

export const sql = String.raw`
-- As in 0008, with the bounded locked select (above).
CREATE OR REPLACE FUNCTION verdict.claim(p_route text DEFAULT NULL, p_n int DEFAULT 1)
  RETURNS TABLE (token bigint, item_id bigint, ext_id text, route text, priority smallint, created_at text,
                 revision int, content_sha256 text, record_text text, expires_at text, server_now text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE me name := session_user; v_routes text[]; v_now timestamptz; k int; j int; v_next int;
  h_pri smallint[]; h_at timestamptz[]; h_id bigint[]; v_tried boolean[];
  c record; best record; v_have boolean := false; v_token bigint; v_exp timestamptz;
BEGIN
  IF p_n < 1 OR p_n > 500 THEN RAISE EXCEPTION 'claim: batch size must be 1 to 500, got %', p_n; END IF;
  SELECT array_agg(rm.route ORDER BY rm.route) INTO v_routes FROM verdict.route_members rm
    WHERE rm.username = me AND (p_route IS NULL OR rm.route = p_route);
  IF v_routes IS NULL THEN
    -- A non-member gets the error; a member without (this) route gets nothing.
    PERFORM verdict.require_member();
    RETURN;
  END IF;
  -- A variable, not clock_timestamp() (volatile), so the expiry index bounds the probe.
  v_now := clock_timestamp();
  IF EXISTS (SELECT 1 FROM verdict.leases l WHERE l.state = 'live' AND l.expires_at < v_now) THEN
    PERFORM verdict.reap_expired(20);
  END IF;
  IF p_n > 1 THEN
    RETURN QUERY SELECT * FROM verdict.claim_batch(v_routes, p_n);
    RETURN;
  END IF;
  k := cardinality(v_routes);
  h_pri := array_fill(NULL::smallint, ARRAY[k]); h_at := array_fill(NULL::timestamptz, ARRAY[k]);
  h_id := array_fill(NULL::bigint, ARRAY[k]); v_tried := array_fill(false, ARRAY[k]);
  -- Each route's head, unlocked (with one route there is nothing to choose: lock it directly).
  IF k > 1 THEN
    FOR j IN 1 .. k LOOP
      SELECT i.priority, i.created_at, i.id INTO c FROM verdict.items i
        WHERE i.route = v_routes[j] AND i.status = 'open' AND i.open_slots > 0
          AND (i.required_reviews = 1 OR NOT EXISTS (
            SELECT 1 FROM verdict.leases l WHERE l.item_id = i.id AND l.reviewer = me AND l.state IN ('live', 'submitted')))
        ORDER BY i.priority, i.created_at, i.id LIMIT 1;
      IF FOUND THEN h_pri[j] := c.priority; h_at[j] := c.created_at; h_id[j] := c.id; END IF;
    END LOOP;
  ELSE
    h_pri[1] := 0; h_at[1] := v_now; h_id[1] := 0;
  END IF;
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
    IF k > 1 THEN
      -- From the head just read, not from the route's start: the entries before it are items
      -- claimed since the last VACUUM (each claim leaves one in items_claimable), which every scan
      -- from the start walks again. An item that became claimable before the head since that read
      -- is one this claim may miss, as if it had come back a moment later.
      SELECT i.id, i.ext_id, i.route, i.priority, i.created_at, i.revision, i.content_sha256 INTO c FROM verdict.items i
        WHERE i.route = v_routes[v_next] AND i.status = 'open' AND i.open_slots > 0
          AND (i.priority, i.created_at, i.id) >= (h_pri[v_next], h_at[v_next], h_id[v_next])
          AND (i.required_reviews = 1 OR NOT EXISTS (
            SELECT 1 FROM verdict.leases l WHERE l.item_id = i.id AND l.reviewer = me AND l.state IN ('live', 'submitted')))
        ORDER BY i.priority, i.created_at, i.id LIMIT 1
        FOR UPDATE OF i SKIP LOCKED;
    ELSE
      SELECT i.id, i.ext_id, i.route, i.priority, i.created_at, i.revision, i.content_sha256 INTO c FROM verdict.items i
        WHERE i.route = v_routes[v_next] AND i.status = 'open' AND i.open_slots > 0
          AND (i.required_reviews = 1 OR NOT EXISTS (
            SELECT 1 FROM verdict.leases l WHERE l.item_id = i.id AND l.reviewer = me AND l.state IN ('live', 'submitted')))
        ORDER BY i.priority, i.created_at, i.id LIMIT 1
        FOR UPDATE OF i SKIP LOCKED;
    END IF;
    IF FOUND THEN
      IF NOT v_have THEN
        best := c; v_have := true;
      ELSIF (c.priority, c.created_at, c.id) < (best.priority, best.created_at, best.id) THEN
        best := c;
      END IF;
    END IF;
  END LOOP;
  IF NOT v_have THEN RETURN; END IF;
  INSERT INTO verdict.leases (item_id, reviewer, expires_at)
    SELECT best.id, me, clock_timestamp() + make_interval(secs => ro.lease_seconds) FROM verdict.routes ro WHERE ro.name = best.route
    RETURNING leases.token, leases.expires_at INTO v_token, v_exp;
  UPDATE verdict.items i SET open_slots = i.open_slots - 1 WHERE i.id = best.id;
  INSERT INTO verdict.audit_leaves (body) VALUES (jsonb_build_object('v', 1, 'type', 'lease.claimed',
    'at', verdict.ts_text(clock_timestamp()), 'actor', me::text, 'subject', best.id::text,
    'data', jsonb_build_object('token', v_token::text, 'reviewer', me::text, 'route', best.route,
      'revision', best.revision, 'expires_at', verdict.ts_text(v_exp)))::text);
  RETURN QUERY SELECT v_token, best.id, best.ext_id, best.route, best.priority, verdict.ts_text(best.created_at), best.revision,
    best.content_sha256, rec.record_text, verdict.ts_text(v_exp), verdict.ts_text(clock_timestamp())
    FROM verdict.item_records rec WHERE rec.item_id = best.id;
END $$;
`;
