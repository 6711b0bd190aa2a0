/**
 * Team schema v5, for throughput (issue 12: >= 1,000 verdicts/s through claim -> submit):
 * - The record text moves out of `items` into `verdict.item_records (item_id, record_text)`:
 *   every claim and every decision UPDATEs the item row, and none of those updates can be HOT
 *   (open_slots and status are in the claim index's predicate), so each one copied the ~1 KB
 *   compressed record and kept the items heap ~1 GB at 1M items. The row is now ~100 bytes.
 * - claim() is one set-based statement (lock, lease, slot, audit leaf) after one read of my
 *   routes; expired leases are reaped only when one exists; one lease probe replaces the two
 *   NOT EXISTS (a verdict of mine <=> a submitted lease of mine), skipped for N = 1 items.
 * - submit() reads the item, my route membership and my prior verdict in one locked statement;
 *   the verdicts trigger writes its audit leaves in one INSERT.
 * - submit_next(): submit and claim the next item in one call and one transaction ("save and
 *   next"): one round trip and one commit per verdict instead of two.
 * - integrate() hashes leaves in SQL and gives them positions with one UPDATE per batch.
 * - The queue functions plan with enable_seqscan = off: a session caches its plans, and a plan
 *   made while leases/verdicts were nearly empty (a new team, the bench) stayed a sequential scan
 *   of the whole table as it grew (measured: ~30 buffers per lease lookup after 4k verdicts).
 * Names and signatures of claim() and submit() are unchanged; the audit leaves are the same.
 */
export const name = 'fast_queue';

export const sql = String.raw`
CREATE TABLE verdict.item_records (
  item_id bigint PRIMARY KEY REFERENCES verdict.items,
  -- The validated record's exact JSON text; items.content_sha256 is over these bytes.
  record_text text NOT NULL
);
INSERT INTO verdict.item_records (item_id, record_text) SELECT id, record_text FROM verdict.items ORDER BY id;
ALTER TABLE verdict.items DROP COLUMN record_text;
-- Rewrites the table (DROP COLUMN alone leaves the bytes in every row) and its indexes.
CLUSTER verdict.items USING items_pkey;
ALTER TABLE verdict.items SET WITHOUT CLUSTER;

GRANT SELECT ON verdict.item_records TO verdict_member;
ALTER TABLE verdict.item_records ENABLE ROW LEVEL SECURITY;
-- A record is visible exactly when its item is (the subquery runs under the items policy).
CREATE POLICY item_records_read ON verdict.item_records FOR SELECT TO verdict_member
  USING (EXISTS (SELECT 1 FROM verdict.items i WHERE i.id = item_id));

CREATE OR REPLACE FUNCTION verdict.claim(p_route text DEFAULT NULL, p_n int DEFAULT 1)
  RETURNS TABLE (token bigint, item_id bigint, ext_id text, route text, priority smallint, created_at text,
                 revision int, content_sha256 text, record_text text, expires_at text, server_now text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE me name := session_user; v_routes text[]; v_now timestamptz;
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
  -- A verdict of mine exists exactly when a submitted lease of mine does (the verdicts trigger
  -- ends the lease in the same transaction), so one lease probe covers both "not reviewed by
  -- me" and "not leased to me"; an N = 1 item with a free slot has neither.
  RETURN QUERY
  WITH c AS (
    SELECT x.* FROM unnest(v_routes) AS mine(r)
    CROSS JOIN LATERAL (
      SELECT i.id, i.ext_id, i.route, i.priority, i.created_at, i.revision, i.content_sha256
      FROM verdict.items i
      WHERE i.route = mine.r AND i.status = 'open' AND i.open_slots > 0
        AND (i.required_reviews = 1 OR NOT EXISTS (
          SELECT 1 FROM verdict.leases l WHERE l.item_id = i.id AND l.reviewer = me AND l.state IN ('live', 'submitted')))
      ORDER BY i.priority, i.created_at, i.id
      LIMIT p_n
      FOR UPDATE OF i SKIP LOCKED) x
    ORDER BY x.priority, x.created_at, x.id
    LIMIT p_n
  ), l AS (
    INSERT INTO verdict.leases (item_id, reviewer, expires_at)
    SELECT c.id, me, clock_timestamp() + make_interval(secs => ro.lease_seconds)
    FROM c JOIN verdict.routes ro ON ro.name = c.route
    ORDER BY c.priority, c.created_at, c.id
    RETURNING leases.token, leases.item_id, leases.expires_at
  ), u AS (
    UPDATE verdict.items i SET open_slots = i.open_slots - 1 FROM l WHERE i.id = l.item_id
  ), a AS (
    INSERT INTO verdict.audit_leaves (body)
    SELECT jsonb_build_object('v', 1, 'type', 'lease.claimed', 'at', verdict.ts_text(clock_timestamp()), 'actor', me::text,
      'subject', c.id::text, 'data', jsonb_build_object('token', l.token::text, 'reviewer', me::text, 'route', c.route,
      'revision', c.revision, 'expires_at', verdict.ts_text(l.expires_at)))::text
    FROM l JOIN c ON c.id = l.item_id ORDER BY l.token
  )
  SELECT l.token, c.id, c.ext_id, c.route, c.priority, verdict.ts_text(c.created_at), c.revision, c.content_sha256,
    rec.record_text, verdict.ts_text(l.expires_at), verdict.ts_text(clock_timestamp())
  FROM l JOIN c ON c.id = l.item_id JOIN verdict.item_records rec ON rec.item_id = c.id
  ORDER BY l.token;
END $$;

-- Returns expired leases' items to the queue (at most p_max, skipping items locked right now).
-- As in 0002, but the expiry bound is a variable: clock_timestamp() is volatile, so the planner
-- could not bound the index scan with it and read every live (and not yet vacuumed) lease entry.
CREATE OR REPLACE FUNCTION verdict.reap_expired(p_max int DEFAULT 20) RETURNS int
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE l record; it record; done int := 0; v_now timestamptz := clock_timestamp();
BEGIN
  FOR l IN SELECT token, item_id FROM verdict.leases
           WHERE state = 'live' AND expires_at < v_now ORDER BY expires_at LIMIT p_max LOOP
    SELECT id, route INTO it FROM verdict.items WHERE id = l.item_id FOR UPDATE SKIP LOCKED;
    CONTINUE WHEN NOT FOUND;
    UPDATE verdict.leases SET state = 'expired', ended_at = clock_timestamp()
      WHERE token = l.token AND state = 'live' AND expires_at < clock_timestamp();
    CONTINUE WHEN NOT FOUND;
    UPDATE verdict.items SET open_slots = open_slots + 1 WHERE id = l.item_id;
    PERFORM verdict.audit('lease.expired', l.item_id::text, jsonb_build_object('token', l.token::text));
    done := done + 1;
  END LOOP;
  RETURN done;
END $$;

CREATE OR REPLACE FUNCTION verdict.submit(p_item bigint, p_token bigint, p_decision text, p_labels jsonb DEFAULT '[]',
                               p_severity text DEFAULT NULL, p_rationale text DEFAULT NULL, p_client_id text DEFAULT NULL)
  RETURNS TABLE (status text, message text, item_status text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE me name := session_user; it record; l verdict.leases;
BEGIN
  SELECT i.id, i.status,
      EXISTS (SELECT 1 FROM verdict.route_members rm WHERE rm.username = me AND rm.route = i.route) AS mine,
      (SELECT v.lease_token FROM verdict.verdicts v WHERE v.item_id = i.id AND v.reviewer = me) AS prior_token
    INTO it FROM verdict.items i WHERE i.id = p_item FOR UPDATE OF i;
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
  -- Not locked here: the verdicts trigger locks the lease and checks it again.
  SELECT * INTO l FROM verdict.leases WHERE token = p_token;
  IF l.token IS NULL OR l.item_id <> p_item OR l.reviewer <> me THEN
    RETURN QUERY SELECT 'refused'::text, format('no lease %s of yours on item %s: claim the item first', p_token, p_item), NULL::text;
    RETURN;
  END IF;
  IF l.state = 'expired' OR (l.state = 'live' AND l.expires_at <= clock_timestamp()) THEN
    PERFORM verdict.expire_lease(l.token, p_item, NULL);
    RETURN QUERY SELECT 'expired'::text,
      format('your lease on item %s expired at %s and the item went back to the queue; the verdict was not recorded on the team server', p_item, verdict.ts_text(l.expires_at)),
      NULL::text;
    RETURN;
  END IF;
  IF l.state <> 'live' THEN
    RETURN QUERY SELECT 'refused'::text, format('your lease on item %s was %s; claim it again to review it', p_item, l.state), NULL::text;
    RETURN;
  END IF;
  INSERT INTO verdict.verdicts (item_id, reviewer, lease_token, decision, labels, severity, rationale, client_id)
    VALUES (p_item, me, p_token, p_decision, coalesce(p_labels, '[]'), p_severity, p_rationale, p_client_id);
  RETURN QUERY SELECT 'accepted'::text, format('verdict on item %s recorded', p_item), (SELECT i.status FROM verdict.items i WHERE i.id = p_item);
END $$;

CREATE OR REPLACE FUNCTION verdict.verdict_insert() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it record; l verdict.leases; n int := 1; agree boolean := true; v_status text; v_verdict text;
BEGIN
  SELECT i.id, i.status, i.revision, i.required_reviews INTO it FROM verdict.items i WHERE i.id = NEW.item_id FOR UPDATE;
  SELECT * INTO l FROM verdict.leases WHERE token = NEW.lease_token FOR UPDATE;
  IF l.token IS NULL OR l.item_id <> NEW.item_id OR l.reviewer <> NEW.reviewer OR NEW.reviewer <> session_user THEN
    RAISE EXCEPTION 'verdict refused: lease % is not %''s lease on item %', NEW.lease_token, session_user, NEW.item_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF l.state <> 'live' OR l.expires_at <= clock_timestamp() THEN
    RAISE EXCEPTION 'verdict refused: lease % on item % is no longer live (%)', l.token, NEW.item_id,
      CASE WHEN l.state = 'live' THEN 'expired' ELSE l.state END USING ERRCODE = 'insufficient_privilege';
  END IF;
  NEW.revision := it.revision;
  NEW.decided_at := clock_timestamp();
  UPDATE verdict.leases SET state = 'submitted', ended_at = NEW.decided_at WHERE token = l.token;
  v_verdict := jsonb_build_object('v', 1, 'type', 'verdict.submitted', 'at', verdict.ts_text(clock_timestamp()), 'actor', session_user::text,
    'subject', NEW.item_id::text, 'data', jsonb_build_object(
    'id', NEW.id::text, 'token', NEW.lease_token::text, 'reviewer', NEW.reviewer::text, 'decision', NEW.decision,
    'labels', NEW.labels, 'severity', NEW.severity, 'rationale', NEW.rationale, 'client_id', NEW.client_id,
    'revision', NEW.revision, 'decided_at', verdict.ts_text(NEW.decided_at)))::text;
  -- A live lease held a slot, so an N = 1 item has no other verdict.
  IF it.required_reviews > 1 THEN
    SELECT count(*) + 1, bool_and(v.decision = NEW.decision) IS NOT FALSE INTO n, agree
      FROM verdict.verdicts v WHERE v.item_id = NEW.item_id;
  END IF;
  IF n >= it.required_reviews THEN
    v_status := CASE WHEN agree THEN 'decided' ELSE 'adjudication' END;
    UPDATE verdict.items SET status = v_status WHERE id = it.id;
    INSERT INTO verdict.audit_leaves (body) VALUES (v_verdict),
      (jsonb_build_object('v', 1, 'type', 'item.status', 'at', verdict.ts_text(clock_timestamp()), 'actor', session_user::text,
        'subject', NEW.item_id::text, 'data', jsonb_build_object('from', it.status, 'to', v_status))::text);
  ELSE
    INSERT INTO verdict.audit_leaves (body) VALUES (v_verdict);
  END IF;
  RETURN NEW;
END $$;

-- "Save and next": my verdict on one item and my next lease, in one call and one transaction.
-- The submit's outcome comes first; the next lease's columns are NULL when nothing is left.
CREATE FUNCTION verdict.submit_next(p_item bigint, p_token bigint, p_decision text, p_labels jsonb DEFAULT '[]',
                                    p_severity text DEFAULT NULL, p_rationale text DEFAULT NULL, p_client_id text DEFAULT NULL,
                                    p_route text DEFAULT NULL)
  RETURNS TABLE (status text, message text, item_status text, token bigint, item_id bigint, ext_id text, route text,
                 priority smallint, created_at text, revision int, content_sha256 text, record_text text, expires_at text,
                 server_now text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE s record; c record;
BEGIN
  SELECT * INTO s FROM verdict.submit(p_item, p_token, p_decision, p_labels, p_severity, p_rationale, p_client_id);
  SELECT * INTO c FROM verdict.claim(p_route, 1);
  RETURN QUERY SELECT s.status, s.message, s.item_status, c.token, c.item_id, c.ext_id, c.route, c.priority, c.created_at,
    c.revision, c.content_sha256, c.record_text, c.expires_at, c.server_now;
END $$;
REVOKE ALL ON FUNCTION verdict.submit_next(bigint, bigint, text, jsonb, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.submit_next(bigint, bigint, text, jsonb, text, text, text, text) TO verdict_member;

-- The sequencer, as before, but the leaf hashes come from one query and the positions are
-- written with one UPDATE per batch instead of one per leaf.
CREATE OR REPLACE FUNCTION verdict.integrate(p_max int DEFAULT 10000) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE
  t verdict.audit_tree;
  r record;
  n bytea[];
  s bigint[];
  node bytea;
  sz bigint;
  k int;
  v_size bigint;
  v_root bytea;
  v_ids bigint[] := '{}';
  v_hashes bytea[] := '{}';
  v_items bigint[] := '{}';
BEGIN
  IF NOT pg_try_advisory_xact_lock(7265783001) THEN RETURN -1; END IF;
  SELECT * INTO t FROM verdict.audit_tree FOR UPDATE;
  n := t.nodes; s := t.sizes; v_size := t.size;
  FOR r IN SELECT a.id, sha256('\x00'::bytea || convert_to(a.body, 'UTF8')) AS h, a.body::jsonb ->> 'subject' AS subject
           FROM verdict.audit_leaves a WHERE a.seq IS NULL ORDER BY a.id LIMIT p_max LOOP
    v_ids := v_ids || r.id;
    v_hashes := v_hashes || r.h;
    node := r.h;
    sz := 1;
    k := coalesce(array_length(n, 1), 0);
    WHILE k > 0 AND s[k] = sz LOOP
      node := sha256('\x01'::bytea || n[k] || node);
      sz := sz * 2;
      n := n[1:k - 1];
      s := s[1:k - 1];
      k := k - 1;
    END LOOP;
    n := n || node;
    s := s || sz;
    v_size := v_size + 1;
    IF r.subject ~ '^[0-9]{1,18}$' THEN v_items := v_items || r.subject::bigint; END IF;
  END LOOP;
  IF v_size = t.size THEN RETURN v_size; END IF;
  UPDATE verdict.audit_leaves a SET seq = t.size + u.k - 1, leaf_hash = u.h
    FROM unnest(v_ids, v_hashes) WITH ORDINALITY AS u(id, h, k) WHERE a.id = u.id;
  k := array_length(n, 1);
  v_root := n[k];
  FOR i IN REVERSE k - 1 .. 1 LOOP
    v_root := sha256('\x01'::bytea || n[i] || v_root);
  END LOOP;
  UPDATE verdict.audit_tree SET size = v_size, nodes = n, sizes = s, root = v_root;
  INSERT INTO verdict.tree_heads (size, root) VALUES (v_size, v_root);
  PERFORM pg_notify('verdict_queue', json_build_object('route', x.route, 'itemId', '', 'kind', 'changed')::text)
    FROM (SELECT DISTINCT i.route FROM verdict.items i WHERE i.id = ANY (v_items)) x;
  RETURN v_size;
END $$;

CREATE OR REPLACE FUNCTION verdict.ingest_record(p_ext_id text, p_source text, p_route text, p_priority int, p_created_at timestamptz,
                                      p_sha256 text, p_record text) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it verdict.items; r verdict.routes; v_id bigint;
BEGIN
  IF coalesce(verdict.my_role(), '') NOT IN ('lead', 'data') AND NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user) THEN
    RAISE EXCEPTION 'only a lead, a data role or an administrator may ingest' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO it FROM verdict.items WHERE ext_id = p_ext_id FOR UPDATE;
  IF it.id IS NOT NULL THEN
    IF it.content_sha256 = p_sha256 THEN RETURN 'duplicate'; END IF;
    UPDATE verdict.items SET revision = revision + 1, content_sha256 = p_sha256,
      priority = p_priority, created_at = p_created_at WHERE id = it.id;
    UPDATE verdict.item_records SET record_text = p_record WHERE item_id = it.id;
    PERFORM verdict.audit('item.revised', it.id::text, jsonb_build_object('revision', it.revision + 1,
      'content_sha256', p_sha256, 'priority', p_priority, 'source', p_source));
    RETURN 'revision';
  END IF;
  r := verdict.ensure_route(p_route);
  INSERT INTO verdict.items (ext_id, source, route, priority, created_at, required_reviews, open_slots, content_sha256)
    VALUES (p_ext_id, p_source, p_route, p_priority, p_created_at, r.required_reviews, r.required_reviews, p_sha256)
    RETURNING id INTO v_id;
  INSERT INTO verdict.item_records (item_id, record_text) VALUES (v_id, p_record);
  PERFORM verdict.audit('item.ingested', v_id::text, jsonb_build_object('ext_id', p_ext_id, 'source', p_source, 'route', p_route,
    'priority', p_priority, 'created_at', verdict.ts_text(p_created_at), 'required_reviews', r.required_reviews,
    'content_sha256', p_sha256));
  RETURN 'new';
END $$;

CREATE OR REPLACE FUNCTION verdict.ingest_records(p_ext text[], p_source text[], p_route text[], p_priority int[],
                                       p_created timestamptz[], p_sha text[], p_record text[])
  RETURNS TABLE (n int, outcome text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE v_new text[]; r record;
BEGIN
  IF coalesce(verdict.my_role(), '') NOT IN ('lead', 'data') AND NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user) THEN
    RAISE EXCEPTION 'only a lead, a data role or an administrator may ingest' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM verdict.ensure_route(x) FROM (SELECT DISTINCT unnest(p_route) AS x) d;
  WITH u AS (
    SELECT * FROM unnest(p_ext, p_source, p_route, p_priority, p_created, p_sha, p_record) WITH ORDINALITY AS u(e, s, r, p, c, h, t, k)
  ), ins AS (
    INSERT INTO verdict.items (ext_id, source, route, priority, created_at, required_reviews, open_slots, content_sha256)
    SELECT u.e, u.s, u.r, u.p, u.c, ro.required_reviews, ro.required_reviews, u.h
    FROM u JOIN verdict.routes ro ON ro.name = u.r ORDER BY u.k
    ON CONFLICT (ext_id) DO NOTHING
    RETURNING id, ext_id, source, route, priority, created_at, required_reviews, content_sha256
  ), rec AS (
    INSERT INTO verdict.item_records (item_id, record_text)
    SELECT ins.id, u.t FROM ins JOIN u ON u.e = ins.ext_id ORDER BY ins.id
  ), aud AS (
    INSERT INTO verdict.audit_leaves (body)
    SELECT jsonb_build_object('v', 1, 'type', 'item.ingested', 'at', verdict.ts_text(clock_timestamp()), 'actor', session_user::text,
      'subject', ins.id::text, 'data', jsonb_build_object('ext_id', ins.ext_id, 'source', ins.source, 'route', ins.route,
      'priority', ins.priority, 'created_at', verdict.ts_text(ins.created_at), 'required_reviews', ins.required_reviews,
      'content_sha256', ins.content_sha256))::text
    FROM ins ORDER BY ins.id
    RETURNING 1
  )
  SELECT coalesce(array_agg(ins.ext_id), '{}') INTO v_new FROM ins WHERE (SELECT count(*) FROM aud) >= 0;
  FOR r IN SELECT * FROM unnest(p_ext, p_source, p_route, p_priority, p_created, p_sha, p_record) WITH ORDINALITY AS u(e, s, rt, p, c, h, t, k) ORDER BY k LOOP
    n := r.k;
    IF r.e = ANY (v_new) THEN
      outcome := 'new';
    ELSE
      outcome := verdict.ingest_record(r.e, r.s, r.rt, r.p, r.c, r.h, r.t);
    END IF;
    RETURN NEXT;
  END LOOP;
END $$;

-- Every statement in these is a key lookup or an index range; see the header.
ALTER FUNCTION verdict.claim(text, int) SET enable_seqscan = off;
ALTER FUNCTION verdict.submit(bigint, bigint, text, jsonb, text, text, text) SET enable_seqscan = off;
ALTER FUNCTION verdict.verdict_insert() SET enable_seqscan = off;
ALTER FUNCTION verdict.heartbeat(bigint, bigint) SET enable_seqscan = off;
ALTER FUNCTION verdict.release(bigint, bigint) SET enable_seqscan = off;
ALTER FUNCTION verdict.reap_expired(int) SET enable_seqscan = off;
ALTER FUNCTION verdict.expire_lease(bigint, bigint, text) SET enable_seqscan = off;
ALTER FUNCTION verdict.submit_next(bigint, bigint, text, jsonb, text, text, text, text) SET enable_seqscan = off;
`;
