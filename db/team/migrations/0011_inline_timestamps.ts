/**
 * Team schema v11 (tperf8, issue 12): the queue's per-verdict CPU.
 *
 * `verdict.ts_text(timestamptz)` (the one text form of a timestamp in audit leaves and answers)
 * was declared IMMUTABLE, but its body calls to_char, which is STABLE, so PostgreSQL never
 * inlined it: every statement that called it set the SQL function up again at its first call
 * (reading the stored body back from its node-tree text and planning it: pg_strtok, nodeRead and
 * the planner were the top of a `perf` profile of save and next), seven times per verdict.
 * Declared STABLE, which is what it is, the planner inlines it into the calling statement, and
 * plpgsql's cached plans keep the inlined expression. Same text out, byte for byte (the audit
 * leaves and their hashes do not change). Nothing indexes it (an index would need IMMUTABLE).
 *
 * The app's "save and next" (`verdict.submit_next_mixed`, 0009) went through two more function
 * layers than the plain one: submit_corrected even without a correction, and claim_mixed's own
 * require_member() call. Without a correction it now calls verdict.submit directly (what
 * submit_corrected does then); claim_mixed no longer calls require_member(): verdict.claim, which
 * it always reaches for someone who is not a member (no routes, so no gold item), raises the same
 * error. Same answers, same audit leaves.
 */
export const name = 'inline_timestamps';

export const sql = String.raw`
ALTER FUNCTION verdict.ts_text(timestamptz) STABLE;

-- As in 0007, without the PERFORM verdict.require_member() (see above).
CREATE OR REPLACE FUNCTION verdict.claim_mixed(p_route text DEFAULT NULL)
  RETURNS TABLE (token bigint, item_id bigint, ext_id text, route text, priority smallint, created_at text,
                 revision int, content_sha256 text, record_text text, expires_at text, server_now text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE me name := session_user; g record; v_copy bigint; v_ext text; v_token bigint; v_exp timestamptz; v_at timestamptz := clock_timestamp();
BEGIN
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


-- As in 0009; without a correction, verdict.submit directly.
CREATE OR REPLACE FUNCTION verdict.submit_next_mixed(p_item bigint, p_token bigint, p_decision text, p_labels jsonb, p_severity text,
                                          p_rationale text, p_client_id text, p_correction text, p_route text DEFAULT NULL)
  RETURNS TABLE (status text, message text, item_status text, token bigint, item_id bigint, ext_id text, route text,
                 priority smallint, created_at text, revision int, content_sha256 text, record_text text, expires_at text,
                 server_now text)
  LANGUAGE plpgsql SET search_path = pg_catalog, verdict AS $$
DECLARE s record; c record;
BEGIN
  IF p_correction IS NULL THEN
    SELECT * INTO s FROM verdict.submit(p_item, p_token, p_decision, p_labels, p_severity, p_rationale, p_client_id);
  ELSE
    SELECT * INTO s FROM verdict.submit_corrected(p_item, p_token, p_decision, p_labels, p_severity, p_rationale, p_client_id, p_correction);
  END IF;
  SELECT * INTO c FROM verdict.claim_mixed(p_route);
  RETURN QUERY SELECT s.status, s.message, s.item_status, c.token, c.item_id, c.ext_id, c.route, c.priority, c.created_at,
    c.revision, c.content_sha256, c.record_text, c.expires_at, c.server_now;
END $$;
`;
