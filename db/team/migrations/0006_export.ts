/**
 * Team schema v6 (teamx): what an export from the team database needs, and the "reassigned"
 * lookup after a refused late submit.
 *
 * - `verdict.in_force`: THE definition of which verdict is in force on a team item (as
 *   db/queries/in-force.ts is locally). An item's verdicts count once the item is decided (its N
 *   reviewers agreed); the newest of them is in force (its labels and severity). Items still open
 *   or waiting for adjudication have none. Labels come as a sorted set, as a local verdict keeps
 *   them. security_invoker: the reader's RLS applies.
 * - `verdict.gold_items`: items with a known answer. They never enter a dataset.
 * - `verdict.record_export`: appends the `export.created` event to the team audit log (leads and
 *   data roles, who are the ones allowed to read the whole queue).
 * - `verdict.lease_fate`: after a refused submit, was the item since claimed by another reviewer?
 *   (A reviewer's RLS shows only their own leases, so this is a SECURITY DEFINER lookup that
 *   answers for the caller's own lease only.)
 */
export const name = 'export';

export const sql = String.raw`
CREATE VIEW verdict.in_force WITH (security_invoker = true) AS
  SELECT DISTINCT ON (v.item_id) v.item_id, v.id AS verdict_id, v.decision,
    -- Labels as a set, in code-point order, as a local verdict stores them.
    coalesce((SELECT jsonb_agg(x ORDER BY x) FROM (SELECT DISTINCT x COLLATE "C" AS x FROM jsonb_array_elements_text(v.labels) x) s), '[]'::jsonb) AS labels,
    v.severity, v.revision, v.reviewer, v.decided_at
  FROM verdict.verdicts v JOIN verdict.items i ON i.id = v.item_id
  WHERE i.status = 'decided'
  ORDER BY v.item_id, v.id DESC;
GRANT SELECT ON verdict.in_force TO verdict_member;

CREATE TABLE IF NOT EXISTS verdict.gold_items (
  item_id bigint PRIMARY KEY REFERENCES verdict.items,
  decision text NOT NULL CHECK (decision IN ('violation', 'dismiss', 'escalate')),
  labels jsonb NOT NULL DEFAULT '[]',
  marked_by name NOT NULL DEFAULT session_user,
  marked_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE verdict.gold_items ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON verdict.gold_items TO verdict_lead, verdict_data;
DROP POLICY IF EXISTS gold_read ON verdict.gold_items;
CREATE POLICY gold_read ON verdict.gold_items FOR SELECT TO verdict_lead, verdict_data USING (true);

CREATE FUNCTION verdict.record_export(p_export_id text, p_data jsonb) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE v_id bigint;
BEGIN
  IF coalesce(verdict.my_role(), '') NOT IN ('lead', 'data') AND NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user) THEN
    RAISE EXCEPTION 'only a lead, a data role or an administrator may export' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO verdict.audit_leaves (body)
    VALUES (jsonb_build_object('v', 1, 'type', 'export.created', 'at', verdict.ts_text(clock_timestamp()),
      'actor', session_user::text, 'subject', p_export_id, 'data', p_data)::text)
    RETURNING id INTO v_id;
  RETURN v_id;
END $$;
REVOKE ALL ON FUNCTION verdict.record_export(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.record_export(text, jsonb) TO verdict_lead, verdict_data;

CREATE FUNCTION verdict.lease_fate(p_item bigint, p_token bigint)
  RETURNS TABLE (reassigned boolean, expires_at text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
  SELECT EXISTS (SELECT 1 FROM verdict.leases o WHERE o.item_id = l.item_id AND o.reviewer <> l.reviewer AND o.claimed_at >= l.expires_at),
         verdict.ts_text(l.expires_at)
  FROM verdict.leases l WHERE l.token = p_token AND l.item_id = p_item AND l.reviewer = session_user;
$$;
REVOKE ALL ON FUNCTION verdict.lease_fate(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.lease_fate(bigint, bigint) TO verdict_member;
`;
