/**
 * Team schema v9 (teamx7, issue 12): the record text each decision was made on, and corrections.
 *
 * - `verdict.item_revisions`: the text of every superseded revision of an item (the current one
 *   stays in `item_records`). Kept by a trigger on `items` that fires only when an ingest raises
 *   `revision` (claim and submit never SET it, so the queue's hot path does not pay for it).
 *   Databases upgraded from v7 keep no text of revisions superseded before v9.
 * - Adjudications and expert answers now record the revision they were made on (as verdicts
 *   always did), so a revision after them is a conflict, as locally, instead of being exported
 *   under the old decision with the new text.
 * - `verdict.verdict_corrections` + `verdict.correct(item, token, text)`: a reviewer's corrected
 *   reply, stored and audited (`verdict.corrected`) in the same transaction as the verdict,
 *   only by the verdict's author with the token of the lease it was given under. The event
 *   carries the correction's sha256, as the local log does (the text stays in the table).
 *   `verdict.submit_corrected` and `verdict.submit_next_mixed` call verdict.submit (unchanged),
 *   then correct, then (for the latter) claim_mixed, in one call: the app's "save and next".
 * - `verdict.in_force` gains `correction` and takes adjudications' and experts' own revision.
 */
export const name = 'revisions_corrections';

export const sql = String.raw`
CREATE TABLE verdict.item_revisions (
  item_id bigint NOT NULL REFERENCES verdict.items,
  revision int NOT NULL,
  content_sha256 text NOT NULL,
  record_text text NOT NULL,
  PRIMARY KEY (item_id, revision)
);
GRANT SELECT ON verdict.item_revisions TO verdict_member;
ALTER TABLE verdict.item_revisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY item_revisions_read ON verdict.item_revisions FOR SELECT TO verdict_member
  USING (EXISTS (SELECT 1 FROM verdict.items i WHERE i.id = item_id));

-- ingest_record raises items.revision before it replaces the text in item_records, so at this
-- point item_records still holds the superseded revision's text.
CREATE FUNCTION verdict.keep_revision() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
BEGIN
  INSERT INTO verdict.item_revisions (item_id, revision, content_sha256, record_text)
    SELECT OLD.id, OLD.revision, OLD.content_sha256, r.record_text FROM verdict.item_records r WHERE r.item_id = OLD.id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER items_keep_revision AFTER UPDATE OF revision ON verdict.items
  FOR EACH ROW WHEN (NEW.revision IS DISTINCT FROM OLD.revision) EXECUTE FUNCTION verdict.keep_revision();

-- The revision an adjudication or expert answer was made on. Rows from before v9: the item's
-- revision now (the best that is known).
ALTER TABLE verdict.adjudications ADD COLUMN revision int;
UPDATE verdict.adjudications a SET revision = i.revision FROM verdict.items i WHERE i.id = a.item_id;
ALTER TABLE verdict.escalations ADD COLUMN answered_revision int;
UPDATE verdict.escalations e SET answered_revision = i.revision FROM verdict.items i WHERE i.id = e.item_id AND e.answered_at IS NOT NULL;
CREATE FUNCTION verdict.stamp_revision() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
BEGIN
  IF TG_TABLE_NAME = 'adjudications' THEN
    NEW.revision := (SELECT i.revision FROM verdict.items i WHERE i.id = NEW.item_id);
  ELSIF NEW.answered_at IS NOT NULL AND NEW.answered_revision IS NULL THEN
    NEW.answered_revision := (SELECT i.revision FROM verdict.items i WHERE i.id = NEW.item_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER adjudications_revision BEFORE INSERT ON verdict.adjudications FOR EACH ROW EXECUTE FUNCTION verdict.stamp_revision();
CREATE TRIGGER escalations_revision BEFORE INSERT OR UPDATE OF answered_at ON verdict.escalations FOR EACH ROW EXECUTE FUNCTION verdict.stamp_revision();

CREATE TABLE verdict.verdict_corrections (
  verdict_id bigint PRIMARY KEY REFERENCES verdict.verdicts,
  item_id bigint NOT NULL REFERENCES verdict.items,
  reviewer name NOT NULL,
  correction text NOT NULL CHECK (length(correction) BETWEEN 1 AND 100000),
  corrected_at timestamptz NOT NULL
);
CREATE INDEX verdict_corrections_item ON verdict.verdict_corrections (item_id);
-- Read as the verdicts are; written only through verdict.correct; never updated or deleted.
GRANT SELECT ON verdict.verdict_corrections TO verdict_member;
ALTER TABLE verdict.verdict_corrections ENABLE ROW LEVEL SECURITY;
CREATE POLICY verdict_corrections_read ON verdict.verdict_corrections FOR SELECT TO verdict_member
  USING (reviewer = session_user OR verdict.sees_all() OR verdict.may_see_verdicts(item_id));

-- The correction of my verdict given under lease p_token, in the transaction that recorded the
-- verdict (so a verdict and its correction are one change: a crash or a refusal keeps neither).
-- A retried submit (the verdict was recorded by an earlier attempt) passes when that attempt
-- recorded the same correction.
CREATE FUNCTION verdict.correct(p_item bigint, p_token bigint, p_correction text) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE v record; prior text; v_at timestamptz := clock_timestamp();
BEGIN
  PERFORM verdict.require_member();
  SELECT vd.id, vd.xmin::text AS xmin, l.state INTO v FROM verdict.verdicts vd JOIN verdict.leases l ON l.token = vd.lease_token
    WHERE vd.item_id = p_item AND vd.lease_token = p_token AND vd.reviewer = session_user FOR UPDATE OF vd;
  IF v.id IS NULL THEN
    RAISE EXCEPTION 'no verdict of yours on item % under lease %: a correction goes with your own verdict', p_item, p_token
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT c.correction INTO prior FROM verdict.verdict_corrections c WHERE c.verdict_id = v.id;
  IF prior IS NOT NULL THEN
    IF prior = p_correction THEN RETURN 'already recorded'; END IF;
    RAISE EXCEPTION 'your verdict on item % already has a correction', p_item USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- The verdict's row was written by this transaction (its xmin is ours), under a lease that was
  -- live until that verdict ended it.
  IF v.xmin <> (pg_current_xact_id()::text::bigint % 4294967296)::text OR v.state <> 'submitted' THEN
    RAISE EXCEPTION 'a correction is recorded with its verdict, in the same transaction (item %)', p_item
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO verdict.verdict_corrections (verdict_id, item_id, reviewer, correction, corrected_at)
    VALUES (v.id, p_item, session_user, p_correction, v_at);
  PERFORM verdict.audit('verdict.corrected', p_item::text, jsonb_build_object('verdict', v.id::text, 'token', p_token::text,
    'reviewer', session_user::text, 'correction_sha256', encode(sha256(convert_to(p_correction, 'UTF8')), 'hex'),
    'corrected_at', verdict.ts_text(v_at)));
  RETURN 'recorded';
END $$;

CREATE FUNCTION verdict.submit_corrected(p_item bigint, p_token bigint, p_decision text, p_labels jsonb, p_severity text,
                                         p_rationale text, p_client_id text, p_correction text)
  RETURNS TABLE (status text, message text, item_status text)
  LANGUAGE plpgsql SET search_path = pg_catalog, verdict AS $$
DECLARE s record;
BEGIN
  SELECT * INTO s FROM verdict.submit(p_item, p_token, p_decision, p_labels, p_severity, p_rationale, p_client_id);
  IF s.status = 'accepted' AND p_correction IS NOT NULL THEN PERFORM verdict.correct(p_item, p_token, p_correction); END IF;
  RETURN QUERY SELECT s.status, s.message, s.item_status;
END $$;

-- The app's "save and next": my verdict (with its correction) and my next lease, in one call and
-- one transaction. The next item comes from claim_mixed, so gold items keep their route's rate.
CREATE FUNCTION verdict.submit_next_mixed(p_item bigint, p_token bigint, p_decision text, p_labels jsonb, p_severity text,
                                          p_rationale text, p_client_id text, p_correction text, p_route text DEFAULT NULL)
  RETURNS TABLE (status text, message text, item_status text, token bigint, item_id bigint, ext_id text, route text,
                 priority smallint, created_at text, revision int, content_sha256 text, record_text text, expires_at text,
                 server_now text)
  LANGUAGE plpgsql SET search_path = pg_catalog, verdict AS $$
DECLARE s record; c record;
BEGIN
  SELECT * INTO s FROM verdict.submit_corrected(p_item, p_token, p_decision, p_labels, p_severity, p_rationale, p_client_id, p_correction);
  SELECT * INTO c FROM verdict.claim_mixed(p_route);
  RETURN QUERY SELECT s.status, s.message, s.item_status, c.token, c.item_id, c.ext_id, c.route, c.priority, c.created_at,
    c.revision, c.content_sha256, c.record_text, c.expires_at, c.server_now;
END $$;

REVOKE ALL ON FUNCTION verdict.correct(bigint, bigint, text), verdict.submit_corrected(bigint, bigint, text, jsonb, text, text, text, text),
  verdict.submit_next_mixed(bigint, bigint, text, jsonb, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.correct(bigint, bigint, text), verdict.submit_corrected(bigint, bigint, text, jsonb, text, text, text, text),
  verdict.submit_next_mixed(bigint, bigint, text, jsonb, text, text, text, text, text) TO verdict_member;

-- As in 0007, plus the correction of the agreed reviewer verdict, and the revision each kind of
-- decision was made on.
DROP VIEW verdict.in_force;
CREATE VIEW verdict.in_force WITH (security_invoker = true) AS
  SELECT i.id AS item_id, f.kind, f.by_whom, f.verdict_id, f.decision,
    coalesce((SELECT jsonb_agg(x ORDER BY x) FROM (SELECT DISTINCT x COLLATE "C" AS x FROM jsonb_array_elements_text(f.labels) x) s), '[]'::jsonb) AS labels,
    f.severity, f.revision, f.at AS decided_at, f.correction
  FROM verdict.items i
  CROSS JOIN LATERAL (
    SELECT * FROM (
      SELECT 'adjudication'::text AS kind, a.adjudicator::text AS by_whom, 'adjudication-' || a.id AS verdict_id, a.decision, a.labels,
          a.severity, coalesce(a.revision, i.revision) AS revision, a.decided_at AS at, NULL::text AS correction
        FROM verdict.adjudications a WHERE a.item_id = i.id
      UNION ALL
      SELECT 'expert', e.answered_by::text, 'expert-' || e.id, e.decision, e.labels, e.severity, coalesce(e.answered_revision, i.revision),
          e.answered_at, NULL
        FROM verdict.escalations e WHERE e.item_id = i.id AND e.answer_kind = 'verdict'
      UNION ALL
      (SELECT 'agreement', NULL, v.id::text, v.decision, v.labels, v.severity, v.revision, v.decided_at,
          (SELECT c.correction FROM verdict.verdict_corrections c WHERE c.verdict_id = v.id)
        FROM verdict.verdicts v WHERE v.item_id = i.id AND i.status = 'decided'
        ORDER BY v.id DESC LIMIT 1)
    ) c ORDER BY (c.kind = 'agreement'), c.at DESC LIMIT 1) f;
REVOKE ALL ON verdict.in_force FROM PUBLIC;
GRANT SELECT ON verdict.in_force TO verdict_lead, verdict_data;
`;
