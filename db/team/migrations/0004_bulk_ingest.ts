/**
 * Bulk ingest: a batch of new records in two set-based statements (items, then their audit
 * leaves, in id order) instead of one function call per record. Records whose id is already
 * known go through ingest_record one by one (duplicate or revision), in batch order. The caller
 * keeps an id to one row per batch.
 */
export const name = 'bulk_ingest';

export const sql = String.raw`
CREATE FUNCTION verdict.ingest_records(p_ext text[], p_source text[], p_route text[], p_priority int[],
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
    INSERT INTO verdict.items (ext_id, source, route, priority, created_at, required_reviews, open_slots, content_sha256, record_text)
    SELECT u.e, u.s, u.r, u.p, u.c, ro.required_reviews, ro.required_reviews, u.h, u.t
    FROM u JOIN verdict.routes ro ON ro.name = u.r ORDER BY u.k
    ON CONFLICT (ext_id) DO NOTHING
    RETURNING id, ext_id, source, route, priority, created_at, required_reviews, content_sha256
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
REVOKE ALL ON FUNCTION verdict.ingest_records(text[], text[], text[], int[], timestamptz[], text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.ingest_records(text[], text[], text[], int[], timestamptz[], text[], text[]) TO verdict_data, verdict_lead;
`;
