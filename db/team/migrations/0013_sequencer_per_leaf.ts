/**
 * Team schema v13 (tseq9, issue 12): the audit sequencer's cost per leaf.
 *
 * `verdict.integrate()` (0008) runs in the reviewers' own backends (every 250 ms per session), two
 * leaves per verdict. Measured on a 200k-item database, 500 calls of 40 leaves each
 * (pg_stat_user_functions, pg_stat_statements with track = all): 33 us per leaf, of which the
 * statement that reads the queue took 16 us, 12 of them in `substring(body FROM '"subject": ...')`:
 * PostgreSQL's regex engine sets itself up again for every row (a capture group, a DFA per call),
 * whatever the length of the text. Now:
 * - the subject (an item id, only used to tell the item's route that its queue changed) is the text
 *   after the body's first `"subject": "`, taken with split_part and checked to be 1-18 digits and
 *   the body's end: a leaf body is jsonb text, whose keys are ordered by length, so the top-level
 *   "subject" (the longest key) is the last one (about 1 us instead of 12-17 us);
 * - the queue's head is read, hashed and aggregated into arrays in one statement, instead of a
 *   cursor loop appending to three arrays row by row;
 * - the tree fold keeps the frontier in place (an index and element assignment) instead of slicing
 *   two arrays per merge: appending leaf number `size` merges it once per trailing one bit of
 *   `size`, and the stored `sizes` are the set bits of the new size, largest first, as before.
 * Same leaves, same positions, same leaf hashes and tree heads (RFC 6962), so `audit verify --team`
 * and the export proofs are unchanged: 500 x 40 leaves cost 22 us per leaf; in batches of 10,000 (integrateAll after
 * a load, in verify and export) 48-58 us per leaf before, 22-26 after (the old loop's arrays grew with the batch).
 */
export const name = 'sequencer_per_leaf';

export const sql = String.raw`
CREATE OR REPLACE FUNCTION verdict.integrate(p_max int DEFAULT 10000) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, verdict AS $$
DECLARE
  t verdict.audit_tree;
  n bytea[];
  h bytea;
  k int;
  c bigint;
  v_size bigint;
  v_root bytea;
  v_ids bigint[];
  v_hashes bytea[];
  v_items bigint[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(7265783001) THEN RETURN -1; END IF;
  SELECT * INTO t FROM verdict.audit_tree FOR UPDATE;
  -- The queue's head, then one key lookup per leaf: OFFSET 0 keeps the planner from turning it
  -- into a merge join that reads the whole log's index (0008).
  SELECT array_agg(a.id ORDER BY a.id), array_agg(sha256('\x00'::bytea || convert_to(a.body, 'UTF8')) ORDER BY a.id),
         array_agg(CASE WHEN length(a.tail) BETWEEN 3 AND 20 AND ltrim(a.tail, '0123456789') = '"}' THEN left(a.tail, -2)::bigint END)
    INTO v_ids, v_hashes, v_items
    FROM (SELECT q.leaf_id FROM verdict.audit_pending q ORDER BY q.leaf_id LIMIT p_max) p
    CROSS JOIN LATERAL (SELECT x.id, x.body, split_part(x.body, '"subject": "', 2) AS tail
                        FROM verdict.audit_leaves x WHERE x.id = p.leaf_id OFFSET 0) a;
  IF v_ids IS NULL THEN RETURN t.size; END IF;
  -- The frontier n[1..k] holds one node per set bit of the size, largest subtree first.
  n := t.nodes;
  k := coalesce(array_length(n, 1), 0);
  v_size := t.size;
  FOREACH h IN ARRAY v_hashes LOOP
    c := v_size;
    WHILE c & 1 = 1 LOOP
      h := sha256('\x01'::bytea || n[k] || h);
      k := k - 1;
      c := c >> 1;
    END LOOP;
    k := k + 1;
    n[k] := h;
    v_size := v_size + 1;
  END LOOP;
  n := n[1:k];
  INSERT INTO verdict.audit_sequenced (seq, leaf_id, leaf_hash)
    SELECT t.size + u.k - 1, u.id, u.h FROM unnest(v_ids, v_hashes) WITH ORDINALITY AS u(id, h, k) ORDER BY u.k;
  DELETE FROM verdict.audit_pending WHERE leaf_id = ANY (v_ids);
  v_root := n[k];
  FOR i IN REVERSE k - 1 .. 1 LOOP
    v_root := sha256('\x01'::bytea || n[i] || v_root);
  END LOOP;
  UPDATE verdict.audit_tree SET size = v_size, nodes = n, root = v_root,
    sizes = ARRAY(SELECT 1::bigint << b FROM generate_series(62, 0, -1) AS b WHERE (v_size >> b) & 1 = 1);
  INSERT INTO verdict.tree_heads (size, root) VALUES (v_size, v_root);
  PERFORM pg_notify('verdict_queue', json_build_object('route', x.route, 'itemId', '', 'kind', 'changed')::text)
    FROM (SELECT DISTINCT i.route FROM verdict.items i WHERE i.id = ANY (v_items)) x;
  RETURN v_size;
END $$;
`;
