/**
 * The rules, as SECURITY DEFINER functions with a fixed search_path: claim, heartbeat, submit,
 * release, ingest, the audit append and its sequencer. The caller is session_user (a person's
 * login role; SET ROLE cannot change it). Lock order everywhere: item row, then lease row.
 */
export const name = 'functions';

export const sql = String.raw`
CREATE FUNCTION verdict.audit(p_type text, p_subject text, p_data jsonb) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  INSERT INTO verdict.audit_leaves (body)
  VALUES (jsonb_build_object('v', 1, 'type', p_type, 'at', verdict.ts_text(clock_timestamp()),
    'actor', session_user::text, 'subject', p_subject, 'data', p_data)::text);
$$;

-- The sequencer: integrates up to p_max queued leaves into the tree. Returns the new size, or
-- -1 when another session is sequencing right now (callers just try again later).
CREATE FUNCTION verdict.integrate(p_max int DEFAULT 10000) RETURNS bigint
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
  v_items bigint[] := '{}';
  v_subject text;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7265783001) THEN RETURN -1; END IF;
  SELECT * INTO t FROM verdict.audit_tree FOR UPDATE;
  n := t.nodes; s := t.sizes; v_size := t.size;
  FOR r IN SELECT id, body FROM verdict.audit_leaves WHERE seq IS NULL ORDER BY id LIMIT p_max LOOP
    node := sha256('\x00'::bytea || convert_to(r.body, 'UTF8'));
    UPDATE verdict.audit_leaves SET seq = v_size, leaf_hash = node WHERE id = r.id;
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
    v_subject := r.body::jsonb ->> 'subject';
    IF v_subject ~ '^[0-9]{1,18}$' THEN v_items := v_items || v_subject::bigint; END IF;
  END LOOP;
  IF v_size = t.size THEN RETURN v_size; END IF;
  k := array_length(n, 1);
  v_root := n[k];
  FOR i IN REVERSE k - 1 .. 1 LOOP
    v_root := sha256('\x01'::bytea || n[i] || v_root);
  END LOOP;
  UPDATE verdict.audit_tree SET size = v_size, nodes = n, sizes = s, root = v_root;
  INSERT INTO verdict.tree_heads (size, root) VALUES (v_size, v_root);
  -- Live queue updates go out here, once per route per batch, and not from each claim or
  -- submit: NOTIFY serializes committing transactions (a global lock held through the WAL
  -- flush), which capped claim -> submit at the disk's fsync rate.
  PERFORM pg_notify('verdict_queue', json_build_object('route', x.route, 'itemId', '', 'kind', 'changed')::text)
    FROM (SELECT DISTINCT i.route FROM verdict.items i WHERE i.id = ANY (v_items)) x;
  RETURN v_size;
END $$;

CREATE FUNCTION verdict.my_role() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT role FROM verdict.members WHERE username = session_user;
$$;

CREATE FUNCTION verdict.sees_all() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT coalesce((SELECT role IN ('lead', 'data') FROM verdict.members WHERE username = session_user), false);
$$;

CREATE FUNCTION verdict.on_my_route(p_route text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT EXISTS (SELECT 1 FROM verdict.route_members WHERE username = session_user AND route = p_route);
$$;

-- Blind review: another's verdict on an item becomes visible once I have submitted mine, on an
-- unblinded route, or to an adjudicator of the route.
CREATE FUNCTION verdict.may_see_verdicts(p_item bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT EXISTS (
    SELECT 1 FROM verdict.items i JOIN verdict.routes r ON r.name = i.route
    JOIN verdict.route_members rm ON rm.route = i.route AND rm.username = session_user
    WHERE i.id = p_item AND (
      NOT r.blind
      OR verdict.my_role() = 'adjudicator'
      OR EXISTS (SELECT 1 FROM verdict.verdicts v WHERE v.item_id = p_item AND v.reviewer = session_user)));
$$;

CREATE FUNCTION verdict.require_member() RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE r text;
BEGIN
  SELECT role INTO r FROM verdict.members WHERE username = session_user;
  IF r IS NULL THEN
    RAISE EXCEPTION 'role "%" is not a member of this Verdict team; ask a lead to run "verdict team user add"', session_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN r;
END $$;

-- Returns expired leases' items to the queue (at most p_max, skipping items locked right now).
CREATE FUNCTION verdict.reap_expired(p_max int DEFAULT 20) RETURNS int
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE l record; it record; done int := 0;
BEGIN
  FOR l IN SELECT token, item_id FROM verdict.leases
           WHERE state = 'live' AND expires_at < clock_timestamp() ORDER BY expires_at LIMIT p_max LOOP
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

-- Next items for the caller: highest priority, oldest, of the caller's routes, that still need a
-- review the caller has not given and has a free slot. SKIP LOCKED: concurrent claimers never
-- wait on or receive the same slot.
CREATE FUNCTION verdict.claim(p_route text DEFAULT NULL, p_n int DEFAULT 1)
  RETURNS TABLE (token bigint, item_id bigint, ext_id text, route text, priority smallint, created_at text,
                 revision int, content_sha256 text, record_text text, expires_at text, server_now text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE me name := session_user; it record; v_token bigint; v_exp timestamptz; v_secs int;
BEGIN
  PERFORM verdict.require_member();
  IF p_n < 1 OR p_n > 500 THEN RAISE EXCEPTION 'claim: batch size must be 1 to 500, got %', p_n; END IF;
  PERFORM verdict.reap_expired(20);
  FOR it IN
    SELECT c.* FROM (SELECT rm.route AS r FROM verdict.route_members rm
                     WHERE rm.username = me AND (p_route IS NULL OR rm.route = p_route)) mine
    CROSS JOIN LATERAL (
      SELECT i.id, i.ext_id, i.route, i.priority, i.created_at, i.revision, i.content_sha256, i.record_text
      FROM verdict.items i
      WHERE i.route = mine.r AND i.status = 'open' AND i.open_slots > 0
        AND NOT EXISTS (SELECT 1 FROM verdict.verdicts v WHERE v.item_id = i.id AND v.reviewer = me)
        AND NOT EXISTS (SELECT 1 FROM verdict.leases l WHERE l.item_id = i.id AND l.reviewer = me AND l.state = 'live')
      ORDER BY i.priority, i.created_at, i.id
      LIMIT p_n
      FOR UPDATE OF i SKIP LOCKED) c
    ORDER BY c.priority, c.created_at, c.id
    LIMIT p_n
  LOOP
    SELECT lease_seconds INTO v_secs FROM verdict.routes WHERE name = it.route;
    v_exp := clock_timestamp() + make_interval(secs => v_secs);
    INSERT INTO verdict.leases (item_id, reviewer, expires_at) VALUES (it.id, me, v_exp) RETURNING leases.token INTO v_token;
    UPDATE verdict.items SET open_slots = open_slots - 1 WHERE id = it.id;
    PERFORM verdict.audit('lease.claimed', it.id::text, jsonb_build_object('token', v_token::text, 'reviewer', me::text,
      'route', it.route, 'revision', it.revision, 'expires_at', verdict.ts_text(v_exp)));
    token := v_token; item_id := it.id; ext_id := it.ext_id; route := it.route; priority := it.priority;
    created_at := verdict.ts_text(it.created_at); revision := it.revision; content_sha256 := it.content_sha256;
    record_text := it.record_text; expires_at := verdict.ts_text(v_exp); server_now := verdict.ts_text(clock_timestamp());
    RETURN NEXT;
  END LOOP;
END $$;

CREATE FUNCTION verdict.heartbeat(p_item bigint, p_token bigint)
  RETURNS TABLE (ok boolean, expires_at text, message text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE v_exp timestamptz; l verdict.leases;
BEGIN
  PERFORM verdict.require_member();
  UPDATE verdict.leases le SET expires_at = clock_timestamp() + make_interval(secs => r.lease_seconds)
    FROM verdict.items i JOIN verdict.routes r ON r.name = i.route
    WHERE le.token = p_token AND le.item_id = p_item AND i.id = le.item_id AND le.reviewer = session_user
      AND le.state = 'live' AND le.expires_at > clock_timestamp()
    RETURNING le.expires_at INTO v_exp;
  IF v_exp IS NOT NULL THEN
    PERFORM verdict.audit('lease.extended', p_item::text, jsonb_build_object('token', p_token::text, 'expires_at', verdict.ts_text(v_exp)));
    RETURN QUERY SELECT true, verdict.ts_text(v_exp), 'lease extended'::text;
    RETURN;
  END IF;
  SELECT * INTO l FROM verdict.leases WHERE token = p_token;
  RETURN QUERY SELECT false, NULL::text,
    CASE WHEN l.token IS NULL OR l.item_id <> p_item OR l.reviewer <> session_user THEN format('no lease %s of yours on item %s', p_token, p_item)
         -- Reassigned: another reviewer claimed the item after this lease ran out (the app shows a reassigned state on this word).
         WHEN l.state IN ('live', 'expired') AND EXISTS (SELECT 1 FROM verdict.leases o WHERE o.item_id = p_item AND o.reviewer <> l.reviewer AND o.claimed_at >= l.expires_at)
           THEN format('reassigned: your lease on item %s expired at %s and the item went to another reviewer', p_item, verdict.ts_text(l.expires_at))
         WHEN l.state = 'live' OR l.state = 'expired' THEN format('your lease on item %s expired at %s; the item went back to the queue', p_item, verdict.ts_text(l.expires_at))
         ELSE format('your lease on item %s is %s', p_item, l.state) END;
END $$;

CREATE FUNCTION verdict.expire_lease(p_token bigint, p_item bigint, p_route text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
BEGIN
  UPDATE verdict.leases SET state = 'expired', ended_at = clock_timestamp() WHERE token = p_token AND state = 'live';
  IF FOUND THEN
    UPDATE verdict.items SET open_slots = open_slots + 1 WHERE id = p_item;
    PERFORM verdict.audit('lease.expired', p_item::text, jsonb_build_object('token', p_token::text));
  END IF;
END $$;

CREATE FUNCTION verdict.submit(p_item bigint, p_token bigint, p_decision text, p_labels jsonb DEFAULT '[]',
                               p_severity text DEFAULT NULL, p_rationale text DEFAULT NULL, p_client_id text DEFAULT NULL)
  RETURNS TABLE (status text, message text, item_status text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
#variable_conflict use_column
DECLARE me name := session_user; it verdict.items; l verdict.leases; prior verdict.verdicts;
BEGIN
  PERFORM verdict.require_member();
  SELECT * INTO it FROM verdict.items WHERE id = p_item FOR UPDATE;
  IF it.id IS NULL OR NOT verdict.on_my_route(it.route) THEN
    RETURN QUERY SELECT 'refused'::text, format('item %s does not exist or is not on your routes', p_item), NULL::text;
    RETURN;
  END IF;
  SELECT * INTO prior FROM verdict.verdicts WHERE item_id = p_item AND reviewer = me;
  IF prior.id IS NOT NULL THEN
    IF prior.lease_token = p_token THEN
      RETURN QUERY SELECT 'accepted'::text, format('already recorded: your verdict on item %s (a retried submit)', p_item), it.status;
    ELSE
      RETURN QUERY SELECT 'refused'::text, format('you already gave a verdict on item %s; one verdict per reviewer', p_item), NULL::text;
    END IF;
    RETURN;
  END IF;
  SELECT * INTO l FROM verdict.leases WHERE token = p_token FOR UPDATE;
  IF l.token IS NULL OR l.item_id <> p_item OR l.reviewer <> me THEN
    RETURN QUERY SELECT 'refused'::text, format('no lease %s of yours on item %s: claim the item first', p_token, p_item), NULL::text;
    RETURN;
  END IF;
  IF l.state = 'expired' OR (l.state = 'live' AND l.expires_at <= clock_timestamp()) THEN
    PERFORM verdict.expire_lease(l.token, p_item, it.route);
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

-- Every verdict row, by submit() or by a direct INSERT, passes here: the lease must be the
-- inserter's, live and unexpired; the lease ends, the item's status follows from the verdicts,
-- and the audit log gets the events, all in the inserting transaction.
CREATE FUNCTION verdict.verdict_insert() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it verdict.items; l verdict.leases; n int; agree boolean; v_status text;
BEGIN
  SELECT * INTO it FROM verdict.items WHERE id = NEW.item_id FOR UPDATE;
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
  PERFORM verdict.audit('verdict.submitted', NEW.item_id::text, jsonb_build_object(
    'id', NEW.id::text, 'token', NEW.lease_token::text, 'reviewer', NEW.reviewer::text, 'decision', NEW.decision,
    'labels', NEW.labels, 'severity', NEW.severity, 'rationale', NEW.rationale, 'client_id', NEW.client_id,
    'revision', NEW.revision, 'decided_at', verdict.ts_text(NEW.decided_at)));
  SELECT count(*) + 1, bool_and(v.decision = NEW.decision) IS NOT FALSE INTO n, agree
    FROM verdict.verdicts v WHERE v.item_id = NEW.item_id;
  v_status := 'submitted';
  IF n >= it.required_reviews THEN
    v_status := CASE WHEN agree THEN 'decided' ELSE 'adjudication' END;
    UPDATE verdict.items SET status = v_status WHERE id = it.id;
    PERFORM verdict.audit('item.status', NEW.item_id::text, jsonb_build_object('from', it.status, 'to', v_status));
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER verdicts_insert BEFORE INSERT ON verdict.verdicts FOR EACH ROW EXECUTE FUNCTION verdict.verdict_insert();

CREATE FUNCTION verdict.release(p_item bigint, p_token bigint) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE it verdict.items;
BEGIN
  PERFORM verdict.require_member();
  SELECT * INTO it FROM verdict.items WHERE id = p_item FOR UPDATE;
  IF it.id IS NULL THEN RETURN false; END IF;
  UPDATE verdict.leases SET state = 'released', ended_at = clock_timestamp()
    WHERE token = p_token AND item_id = p_item AND reviewer = session_user AND state = 'live' AND expires_at > clock_timestamp();
  IF NOT FOUND THEN RETURN false; END IF;
  UPDATE verdict.items SET open_slots = open_slots + 1 WHERE id = p_item;
  PERFORM verdict.audit('lease.released', p_item::text, jsonb_build_object('token', p_token::text));
  RETURN true;
END $$;

-- A route is created on first use with the defaults (1 review, 10 minute leases, blind).
CREATE FUNCTION verdict.ensure_route(p_route text) RETURNS verdict.routes
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE r verdict.routes;
BEGIN
  SELECT * INTO r FROM verdict.routes WHERE name = p_route;
  IF r.name IS NULL THEN
    INSERT INTO verdict.routes (name) VALUES (p_route) ON CONFLICT (name) DO NOTHING;
    SELECT * INTO r FROM verdict.routes WHERE name = p_route;
    PERFORM verdict.audit('route.set', p_route, jsonb_build_object('required_reviews', r.required_reviews,
      'lease_seconds', r.lease_seconds, 'blind', r.blind));
  END IF;
  RETURN r;
END $$;

CREATE FUNCTION verdict.set_route(p_route text, p_reviews int, p_lease_seconds int, p_blind boolean) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE r verdict.routes;
BEGIN
  IF coalesce(verdict.my_role(), '') <> 'lead' AND NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user) THEN
    RAISE EXCEPTION 'only a lead or an administrator may change routes' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM verdict.ensure_route(p_route);
  UPDATE verdict.routes SET required_reviews = coalesce(p_reviews, required_reviews),
    lease_seconds = coalesce(p_lease_seconds, lease_seconds), blind = coalesce(p_blind, blind)
    WHERE name = p_route RETURNING * INTO r;
  PERFORM verdict.audit('route.set', p_route, jsonb_build_object('required_reviews', r.required_reviews,
    'lease_seconds', r.lease_seconds, 'blind', r.blind));
END $$;

-- One validated record in: new, duplicate (same id, same content) or a revision (same id, new
-- content: the record is replaced and the revision counts up; verdicts keep the revision they judged).
CREATE FUNCTION verdict.ingest_record(p_ext_id text, p_source text, p_route text, p_priority int, p_created_at timestamptz,
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
    UPDATE verdict.items SET revision = revision + 1, content_sha256 = p_sha256, record_text = p_record,
      priority = p_priority, created_at = p_created_at WHERE id = it.id;
    PERFORM verdict.audit('item.revised', it.id::text, jsonb_build_object('revision', it.revision + 1,
      'content_sha256', p_sha256, 'priority', p_priority, 'source', p_source));
    RETURN 'revision';
  END IF;
  r := verdict.ensure_route(p_route);
  INSERT INTO verdict.items (ext_id, source, route, priority, created_at, required_reviews, open_slots, content_sha256, record_text)
    VALUES (p_ext_id, p_source, p_route, p_priority, p_created_at, r.required_reviews, r.required_reviews, p_sha256, p_record)
    RETURNING id INTO v_id;
  PERFORM verdict.audit('item.ingested', v_id::text, jsonb_build_object('ext_id', p_ext_id, 'source', p_source, 'route', p_route,
    'priority', p_priority, 'created_at', verdict.ts_text(p_created_at), 'required_reviews', r.required_reviews,
    'content_sha256', p_sha256));
  RETURN 'new';
END $$;

CREATE FUNCTION verdict.quarantine_line(p_source text, p_location text, p_reason text, p_json_path text, p_raw text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
BEGIN
  IF coalesce(verdict.my_role(), '') NOT IN ('lead', 'data') AND NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user) THEN
    RAISE EXCEPTION 'only a lead, a data role or an administrator may ingest' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO verdict.quarantine (source, location, reason, json_path, raw) VALUES (p_source, p_location, p_reason, p_json_path, p_raw);
END $$;

CREATE FUNCTION verdict.whoami() RETURNS TABLE (username text, role text, routes text[])
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT session_user::text,
    coalesce((SELECT m.role FROM verdict.members m WHERE m.username = session_user),
             CASE WHEN (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user) THEN 'admin' END),
    coalesce(CASE WHEN verdict.sees_all() OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
                  THEN (SELECT array_agg(name ORDER BY name) FROM verdict.routes)
                  ELSE (SELECT array_agg(route ORDER BY route) FROM verdict.route_members WHERE username = session_user) END,
             '{}');
$$;

CREATE FUNCTION verdict.route_counts()
  RETURNS TABLE (route text, required_reviews int, lease_seconds int, blind boolean, open bigint, claimable bigint,
                 leased bigint, decided bigint, adjudication bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT r.name, r.required_reviews, r.lease_seconds, r.blind,
    (SELECT count(*) FROM verdict.items i WHERE i.route = r.name AND i.status = 'open'),
    (SELECT count(*) FROM verdict.items i WHERE i.route = r.name AND i.status = 'open' AND i.open_slots > 0
       AND NOT EXISTS (SELECT 1 FROM verdict.verdicts v WHERE v.item_id = i.id AND v.reviewer = session_user)
       AND NOT EXISTS (SELECT 1 FROM verdict.leases l WHERE l.item_id = i.id AND l.reviewer = session_user AND l.state = 'live')
       AND verdict.on_my_route(r.name)),
    (SELECT count(*) FROM verdict.leases l JOIN verdict.items i ON i.id = l.item_id
       WHERE i.route = r.name AND l.state = 'live' AND l.expires_at > clock_timestamp()),
    (SELECT count(*) FROM verdict.items i WHERE i.route = r.name AND i.status = 'decided'),
    (SELECT count(*) FROM verdict.items i WHERE i.route = r.name AND i.status = 'adjudication')
  FROM verdict.routes r
  WHERE verdict.on_my_route(r.name) OR verdict.sees_all()
     OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
  ORDER BY r.name;
$$;
`;
