/**
 * Permissions in the database: grants per group role and row-level security, so a person
 * connecting with psql under their own role sees and changes exactly what the app lets them.
 * Reviewers and experts: items of their routes; their own leases; their own verdicts, and others'
 * on an item only after submitting theirs (blind); verdict INSERT only as themselves (the
 * verdicts trigger then demands their live lease). Nobody may UPDATE or DELETE verdicts or the
 * audit log. Leads and data roles read everything; data roles write the inbox.
 */
export const name = 'security';

export const sql = String.raw`
REVOKE ALL ON SCHEMA verdict FROM PUBLIC;
GRANT USAGE ON SCHEMA verdict TO verdict_member;
REVOKE ALL ON ALL TABLES IN SCHEMA verdict FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA verdict FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA verdict FROM PUBLIC;

GRANT EXECUTE ON FUNCTION verdict.claim(text, int), verdict.heartbeat(bigint, bigint),
  verdict.submit(bigint, bigint, text, jsonb, text, text, text), verdict.release(bigint, bigint),
  verdict.whoami(), verdict.route_counts(), verdict.integrate(int), verdict.ts_text(timestamptz),
  verdict.on_my_route(text), verdict.may_see_verdicts(bigint), verdict.sees_all(), verdict.my_role()
  TO verdict_member;
GRANT EXECUTE ON FUNCTION verdict.ingest_record(text, text, text, int, timestamptz, text, text),
  verdict.quarantine_line(text, text, text, text, text) TO verdict_data, verdict_lead;
GRANT EXECUTE ON FUNCTION verdict.set_route(text, int, int, boolean) TO verdict_lead;

GRANT SELECT ON verdict.routes, verdict.members, verdict.route_members, verdict.items, verdict.leases, verdict.verdicts TO verdict_member;
GRANT INSERT ON verdict.verdicts TO verdict_member;
GRANT USAGE ON SEQUENCE verdict.verdicts_id_seq TO verdict_member;
GRANT SELECT ON verdict.audit_leaves, verdict.audit_tree, verdict.tree_heads, verdict.quarantine, verdict.schema_migrations TO verdict_lead, verdict_data;
GRANT SELECT, INSERT ON verdict.inbox TO verdict_data, verdict_lead;
-- Processing the inbox (verdict team inbox process) deletes the rows it moved: leads only.
GRANT DELETE ON verdict.inbox TO verdict_lead;
GRANT USAGE ON SEQUENCE verdict.inbox_id_seq TO verdict_data, verdict_lead;

ALTER TABLE verdict.members ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON verdict.members FOR SELECT TO verdict_member
  USING (username = session_user OR verdict.sees_all());

ALTER TABLE verdict.route_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY route_members_read ON verdict.route_members FOR SELECT TO verdict_member
  USING (username = session_user OR verdict.sees_all());

ALTER TABLE verdict.routes ENABLE ROW LEVEL SECURITY;
CREATE POLICY routes_read ON verdict.routes FOR SELECT TO verdict_member
  USING (verdict.on_my_route(name) OR verdict.sees_all());

ALTER TABLE verdict.items ENABLE ROW LEVEL SECURITY;
CREATE POLICY items_read ON verdict.items FOR SELECT TO verdict_member
  USING (verdict.on_my_route(route) OR verdict.sees_all());

ALTER TABLE verdict.leases ENABLE ROW LEVEL SECURITY;
CREATE POLICY leases_read ON verdict.leases FOR SELECT TO verdict_member
  USING (reviewer = session_user OR verdict.sees_all());

ALTER TABLE verdict.verdicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY verdicts_read ON verdict.verdicts FOR SELECT TO verdict_member
  USING (reviewer = session_user OR verdict.sees_all() OR verdict.may_see_verdicts(item_id));
CREATE POLICY verdicts_insert ON verdict.verdicts FOR INSERT TO verdict_member
  WITH CHECK (reviewer = session_user AND verdict.on_my_route((SELECT i.route FROM verdict.items i WHERE i.id = item_id)));

ALTER TABLE verdict.inbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY inbox_read ON verdict.inbox FOR SELECT TO verdict_member
  USING (producer = session_user OR verdict.sees_all());
CREATE POLICY inbox_insert ON verdict.inbox FOR INSERT TO verdict_member
  WITH CHECK (producer = session_user);
CREATE POLICY inbox_process ON verdict.inbox FOR DELETE TO verdict_lead USING (true);

-- Audit tables: read-only to leads and data roles (grants above); no policy grants any write.
ALTER TABLE verdict.audit_leaves ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_read ON verdict.audit_leaves FOR SELECT TO verdict_lead, verdict_data USING (true);
ALTER TABLE verdict.quarantine ENABLE ROW LEVEL SECURITY;
CREATE POLICY quarantine_read ON verdict.quarantine FOR SELECT TO verdict_lead, verdict_data USING (true);
`;
