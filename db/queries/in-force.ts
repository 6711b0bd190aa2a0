/**
 * Which verdict is in force — the rule that decides what goes into training data — written once.
 * Every query that needs it (History's `inForce` field, the item's current verdict, undo, the
 * amend check, export selection) builds its SQL from these two fragments.
 */

/**
 * Verdict row `v` stands while nothing supersedes it, except rows that were themselves undone
 * (undoing an amendment puts the amended verdict back in force). With `ignoring`, the fragment
 * takes two `?` parameters naming one row to treat as already undone ('' for none).
 */
export function standsSql(v: string, ignoring = false): string {
  return `${ignoring ? `${v}.id <> ? AND ` : ''}NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.supersedes = ${v}.id${ignoring ? ' AND u.id <> ?' : ''}
        AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.supersedes = u.id AND w.kind = 'undo'))`;
}

/** The verdict kinds that decide an item (undo rows only retract). */
export const DECIDING_KINDS = `('verdict', 'amendment', 'import', 'adjudication')`;

/**
 * Row `a` decides as the adjudicator: an adjudication, or an amendment whose line of amended
 * verdicts goes back to one (amending an adjudication keeps it the adjudicator's decision).
 */
export function adjudicatesSql(a: string): string {
  return `(${a}.kind = 'adjudication' OR (${a}.kind = 'amendment' AND EXISTS (WITH RECURSIVE line(id) AS (SELECT ${a}.supersedes
        UNION SELECT p.supersedes FROM verdicts p JOIN line ON p.id = line.id WHERE p.kind = 'amendment')
      SELECT 1 FROM line JOIN verdicts o ON o.id = line.id WHERE o.kind = 'adjudication')))`;
}

/**
 * Row `v` is an import recorded after an adjudication of its item that still stands (or an
 * amendment of one, see adjudicatesSql): a late reviewer verdict arriving from elsewhere does not
 * replace the adjudicator's decision (a new verdict recorded here, after a reopen, does).
 */
export function afterAdjudicationSql(v: string): string {
  return `(${v}.kind = 'import' AND EXISTS (SELECT 1 FROM verdicts a WHERE a.item_seq = ${v}.item_seq AND a.kind IN ('adjudication', 'amendment')
        AND a.seq < ${v}.seq AND ${adjudicatesSql('a')} AND ${standsSql('a')}))`;
}

/**
 * A scalar subquery body: the `column` of the verdict in force for the item whose seq is the SQL
 * expression `item` — the newest standing verdict, amendment, import or adjudication that is not
 * a skip, where an import does not replace a standing adjudication recorded before it.
 * Parameters, in order: any in `item`, then standsSql's two when `ignoring`.
 */
export function inForceVerdictSql(item: string, opts: { v?: string; column?: 'seq' | 'id'; ignoring?: boolean } = {}): string {
  const v = opts.v ?? 'v2';
  return `SELECT ${v}.${opts.column ?? 'seq'} FROM verdicts ${v}
    WHERE ${v}.item_seq = ${item} AND ${v}.kind IN ${DECIDING_KINDS} AND ${v}.decision <> 'skip'
      AND ${standsSql(v, opts.ignoring)} AND NOT ${afterAdjudicationSql(v)}
    ORDER BY ${v}.seq DESC LIMIT 1`;
}
