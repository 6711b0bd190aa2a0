import { Shown } from '../lib/Shown.tsx';
import { coveredText } from '../verdict/span-edits.ts';
import { Badge, Button, Select, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ItemView, VerdictRow } from '../../electron/shared/contract.ts';
import { DECISION_COLOR, DECISION_LABEL, prettyJson, shortId } from '../lib/format.ts';
import { formatDateTime } from '../lib/time.ts';
import { useDrafts } from '../verdict/draft.ts';
import { labelDisplay, useTaxonomy } from '../verdict/taxonomy.ts';
import { focusById } from '../shell/shortcuts.ts';
import { LineDiff } from './DiffView.tsx';
import { ActionsHistory } from './ActionsHistory.tsx';
import classes from './Item.module.css';

const KIND_COLOR: Record<string, string> = { verdict: 'accent', amendment: 'violet', undo: 'gray', import: 'cyan', adjudication: 'orange' };

export function HistoryPanel({ view }: { view: ItemView }) {
  const { verdicts, events, item } = view;
  const { taxonomy } = useTaxonomy();
  const short = shortId;
  const amend = (v: VerdictRow) => {
    useDrafts.getState().loadForAmend(item.id, v);
    requestAnimationFrame(() => focusById('verdict-submit'));
  };
  return (
    <div className={classes.cards} data-testid="history-panel">
      <section className={classes.card}>
        <div className={classes.cardHead}>
          <span className={classes.cardTitle}>Verdicts</span>
          <span className={classes.dim}>{verdicts.length}</span>
        </div>
        {verdicts.length === 0 && <span className={classes.dim}>No verdicts yet.</span>}
        <div className={classes.verdictList}>
          {[...verdicts].reverse().map((v) => {
            const live = v.inForce;
            return (
              <div key={v.id} className={classes.verdictRow} data-testid="history-verdict" data-kind={v.kind} data-in-force={live || undefined}>
                <div className={classes.verdictTop}>
                  <Badge size="xs" variant="light" color={KIND_COLOR[v.kind] ?? 'gray'}>
                    {v.kind}
                  </Badge>
                  <Badge size="xs" variant={live ? 'filled' : 'outline'} color={DECISION_COLOR[v.decision] ?? 'gray'}>
                    {DECISION_LABEL[v.decision] ?? v.decision}
                  </Badge>
                  {live && v.kind !== 'undo' && <span className={classes.inForce}>in force</span>}
                  <span className={classes.spacer} />
                  <span className={classes.dim}>
                    {v.reviewer} · {formatDateTime(v.decidedAt)}
                  </span>
                </div>
                <div className={classes.verdictMeta}>
                  <span className="mono">#{short(v.id)}</span>
                  {v.supersedes && (
                    <span>
                      {v.kind === 'undo' ? 'undoes' : 'amends'} <span className="mono">#{short(v.supersedes)}</span>
                    </span>
                  )}
                  {v.routeTo && <span>route → {v.routeTo}</span>}
                  {v.severity && <span>severity {v.severity}</span>}
                  {v.labels.length > 0 && <span>labels {v.labels.map((l) => labelDisplay(l, taxonomy)).join(', ')}</span>}
                  {v.revisionId !== item.revisions.find((r) => r.revision === item.revision)?.id && <span className={classes.warn}>older revision</span>}
                </div>
                {v.flagReviews.length > 0 && <FlagCalls verdict={v} view={view} />}
                {v.spanEdits.length > 0 && <SpanCalls verdict={v} view={view} />}
                {Object.keys(v.routeFields).length > 0 && (
                  <div className={classes.verdictMeta} data-testid="history-route-fields">
                    {Object.entries(v.routeFields).map(([k, val]) => (
                      <span key={k}>
                        {view.routeTaxonomy.fields.find((f) => f.id === k)?.name ?? k}: <Shown text={val} />
                      </span>
                    ))}
                  </div>
                )}
                {v.rationale && <div className={classes.rationale}>
                    <Shown text={v.rationale} />
                  </div>}
                {v.correction && (
                  <details className={classes.details}>
                    <summary>Corrected output</summary>
                    <div className={classes.docText}>
                      <Shown text={v.correction} />
                    </div>
                  </details>
                )}
                {live && (
                  <div>
                    <Button size="compact-xs" variant="light" onClick={() => amend(v)} data-testid="amend-verdict">
                      Amend
                    </Button>
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </section>

      <ActionsHistory itemId={item.id} />

      <Revisions view={view} />

      <section className={classes.card}>
        <div className={classes.cardHead}>
          <span className={classes.cardTitle}>Audit events</span>
          <span className={classes.dim}>{events.length}</span>
        </div>
        <div className={classes.events} data-testid="history-events">
          {events.map((e) => (
            <div key={e.seq} className={classes.event}>
              <span className={`mono ${classes.dim}`}>#{e.seq}</span>
              <span className={classes.eventType}>{e.type}</span>
              <span className={classes.dim}>
                {e.actor} · {formatDateTime(e.at)}
              </span>
              <details className={classes.eventData}>
                <summary>data</summary>
                <pre className="raw-pre">{prettyJson(e.data)}</pre>
              </details>
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}

/** A verdict's per-flag calls, named from the revision it judged. */
function FlagCalls({ verdict, view }: { verdict: VerdictRow; view: ItemView }) {
  const flags = view.item.revisions.find((r) => r.id === verdict.revisionId)?.record.flags ?? [];
  return (
    <div className={classes.verdictMeta} data-testid="history-flag-calls">
      {verdict.flagReviews.map((r) => {
        const f = flags[r.flag];
        return (
          <span key={r.flag} data-accepted={r.accepted}>
            {r.accepted ? 'flag right' : 'flag wrong'}: {f ? <Shown text={f.category ?? f.source} /> : `flag ${r.flag + 1}`}
            {f?.category && (
              <span className={classes.dim}>
                {' '}
                (<Shown text={f.source} />)
              </span>
            )}
          </span>
        );
      })}
    </div>
  );
}

/** A verdict's span edits, with the text each covers in the revision it judged. */
function SpanCalls({ verdict, view }: { verdict: VerdictRow; view: ItemView }) {
  const record = view.item.revisions.find((r) => r.id === verdict.revisionId)?.record;
  if (!record) return null;
  return (
    <div className={classes.verdictMeta} data-testid="history-span-edits">
      {verdict.spanEdits.map((e, i) => {
        const field = e.op === 'add' ? e.field : (record.flags[e.flag]?.spans[e.span]?.field ?? '');
        const s = e.op === 'reject' ? record.flags[e.flag]?.spans[e.span] : e;
        const text = s ? coveredText(record, field, s.start, s.end) : '';
        const what = e.op === 'add' ? `span added (${e.label})` : e.op === 'adjust' ? `span ${e.flag + 1}.${e.span + 1} moved` : `span ${e.flag + 1}.${e.span + 1} rejected`;
        return (
          <span key={i} data-op={e.op}>
            {what}: “<Shown text={text.length > 60 ? `${text.slice(0, 60)}…` : text} />”
          </span>
        );
      })}
    </div>
  );
}

function Revisions({ view }: { view: ItemView }) {
  const revs = view.item.revisions;
  const [pick, setPick] = useState<string | null>(null);
  const newest = revs[revs.length - 1];
  const defaultFrom = revs.length > 1 ? revs[revs.length - 2]! : null;
  const from = revs.find((r) => String(r.revision) === pick) ?? defaultFrom;
  const before = useMemo(() => (from ? prettyJson(from.record) : ''), [from]);
  const after = useMemo(() => (newest ? prettyJson(newest.record) : ''), [newest]);
  return (
    <section className={classes.card} data-testid="history-revisions">
      <div className={classes.cardHead}>
        <span className={classes.cardTitle}>Revisions</span>
        <span className={classes.dim}>{revs.length}</span>
        {view.item.status === 'conflict' && (
          <Badge size="xs" color="red" variant="light">
            conflict: changed after a verdict
          </Badge>
        )}
      </div>
      <div className={classes.revList}>
        {revs.map((r) => (
          <div key={r.id} className={classes.revRow}>
            <span className={classes.revNo}>rev {r.revision}</span>
            <span className={classes.dim}>{formatDateTime(r.ingestedAt)}</span>
            <span className={`mono ${classes.dim} truncate`}>
              {r.sourceFile ? `${r.sourceFile}:${r.line ?? '?'}` : ''}
            </span>
            <span className={`mono ${classes.dim}`}>{r.contentSha256.slice(0, 10)}</span>
          </div>
        ))}
      </div>
      {revs.length > 1 && newest && from && (
        <>
          <div className={classes.diffBar}>
            <Text size="xs" c="dimmed">
              Changes from
            </Text>
            <Select
              size="xs"
              w={110}
              value={String(from.revision)}
              onChange={setPick}
              data={revs.slice(0, -1).map((r) => ({ value: String(r.revision), label: `rev ${r.revision}` }))}
              allowDeselect={false}
              aria-label="Compare from revision"
            />
            <Text size="xs" c="dimmed">
              to rev {newest.revision} (current)
            </Text>
          </div>
          <LineDiff before={before} after={after} testId="revision-diff" />
        </>
      )}
    </section>
  );
}
