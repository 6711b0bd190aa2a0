import { Shown } from '../lib/Shown.tsx';
import { visibleString } from '../lib/hidden-chars.ts';
import { ActionIcon, CopyButton, Timeline, Tooltip } from '@mantine/core';
import type { ItemView } from '../../electron/shared/contract.ts';
import { formatDateTime, formatTimeSeconds } from '../lib/time.ts';
import { prettyJson } from '../lib/format.ts';
import classes from './Item.module.css';

const FIELDS: { key: string; label: string; copy?: boolean }[] = [
  { key: 'gen_ai.request.model', label: 'Requested model' },
  { key: 'gen_ai.response.model', label: 'Responding model' },
  { key: 'model_version', label: 'Model version' },
  { key: 'gen_ai.provider.name', label: 'Provider' },
  { key: 'deployment', label: 'Deployment' },
  { key: 'request_id', label: 'Request id', copy: true },
  { key: 'trace_id', label: 'Trace id', copy: true },
  { key: 'span_id', label: 'Span id', copy: true },
  { key: 'gen_ai.response.id', label: 'Response id', copy: true },
  { key: 'gen_ai.conversation.id', label: 'Conversation id', copy: true },
  { key: 'dataset_snapshot', label: 'Dataset snapshot', copy: true },
];

function asText(v: unknown): string {
  return typeof v === 'string' ? v : prettyJson(v);
}

export function ProvenancePanel({ view }: { view: ItemView }) {
  const { item } = view;
  const prov = item.record.provenance as Record<string, unknown>;
  const known = new Set([...FIELDS.map((f) => f.key), 'pipeline']);
  const extra = Object.keys(prov).filter((k) => !known.has(k));
  const pipeline = Array.isArray(prov.pipeline) ? (prov.pipeline as { step?: unknown; version?: unknown; at?: unknown }[]) : [];
  const rev = item.revisions.find((r) => r.revision === item.revision);
  return (
    <div className={classes.cards} data-testid="provenance-panel">
      <div className={classes.card}>
        <div className={classes.cardHead}>
          <span className={classes.cardTitle}>Model and request</span>
        </div>
        <dl className="kv">
          {FIELDS.map((f) => {
            const v = prov[f.key];
            if (v === undefined || v === null || v === '') return null;
            const text = asText(v);
            return (
              <Row key={f.key} label={f.label} hint={f.key}>
                <span className={f.copy ? 'mono' : undefined}>
                  <Shown text={text} />
                </span>
                {f.copy && <Copy value={text} label={f.label} />}
              </Row>
            );
          })}
          {extra.map((k) => (
            <Row key={k} label={visibleString(k)}>
              <span className="mono">
                <Shown text={asText(prov[k])} />
              </span>
            </Row>
          ))}
        </dl>
      </div>

      <div className={classes.card}>
        <div className={classes.cardHead}>
          <span className={classes.cardTitle}>Pipeline lineage</span>
          <span className={classes.dim}>{pipeline.length} step{pipeline.length === 1 ? '' : 's'}</span>
        </div>
        {pipeline.length === 0 ? (
          <span className={classes.dim}>No pipeline recorded.</span>
        ) : (
          <Timeline active={pipeline.length - 1} bulletSize={10} lineWidth={2} data-testid="pipeline-timeline">
            {pipeline.map((p, i) => (
              <Timeline.Item key={i} title={<span className={classes.stepName}>
                    <Shown text={asText(p.step ?? '')} />
                  </span>}>
                <span className={classes.dim}>
                  {p.version !== undefined ? <Shown text={`version ${asText(p.version)}`} /> : 'no version'}
                  {typeof p.at === 'string' ? ` · ${formatTimeSeconds(p.at)}` : ''}
                </span>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </div>

      <div className={classes.card}>
        <div className={classes.cardHead}>
          <span className={classes.cardTitle}>Source</span>
        </div>
        <dl className="kv">
          <Row label="External id">
            <span className="mono">
              <Shown text={item.externalId} />
            </span>
            <Copy value={item.externalId} label="External id" />
          </Row>
          <Row label="Item id">
            <span className="mono">{item.id}</span>
            <Copy value={item.id} label="Item id" />
          </Row>
          <Row label="Source">
            <Shown text={item.sourceName} />
          </Row>
          <Row label="Source URI">
            <span className="mono">
              <Shown text={item.sourceUri} />
            </span>
          </Row>
          {rev?.sourceFile && (
            <Row label="File and line">
              <span className="mono">
                <Shown text={`${rev.sourceFile}:${rev.line ?? '?'}`} />
              </span>
            </Row>
          )}
          <Row label="Ingested">{formatDateTime(item.ingestedAt)}</Row>
          <Row label="Created">{formatDateTime(item.createdAt)}</Row>
          {item.riskTier && (
            <Row label="Risk tier">
              <Shown text={item.riskTier} />
            </Row>
          )}
        </dl>
      </div>

      <details className={classes.details} open={Object.keys(item.record.metadata ?? {}).length > 0}>
        <summary>Item metadata</summary>
        <pre className="raw-pre" data-testid="item-metadata">
          <Shown text={prettyJson(item.record.metadata ?? {})} />
        </pre>
      </details>
      <details className={classes.details}>
        <summary>Raw provenance JSON</summary>
        <pre className="raw-pre" data-testid="provenance-raw">
          <Shown text={prettyJson(prov)} />
        </pre>
      </details>
    </div>
  );
}

function Row({ label, hint, children }: { label: string; hint?: string; children: React.ReactNode }) {
  return (
    <>
      <dt title={hint}>{label}</dt>
      <dd className={classes.kvValue}>{children}</dd>
    </>
  );
}

function Copy({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={1200}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : `Copy ${label.toLowerCase()}`}>
          <ActionIcon size="xs" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy ${label}`}>
            <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              {copied ? (
                <path d="m5 12.5 4.5 4.5L19 7.5" strokeLinecap="round" strokeLinejoin="round" />
              ) : (
                <>
                  <rect x="8.5" y="8.5" width="11" height="11" rx="2" />
                  <path d="M15.5 8.5V6a1.5 1.5 0 0 0-1.5-1.5H6A1.5 1.5 0 0 0 4.5 6v8A1.5 1.5 0 0 0 6 15.5h2.5" />
                </>
              )}
            </svg>
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}
