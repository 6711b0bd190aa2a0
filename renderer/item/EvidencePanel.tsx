import { Shown } from '../lib/Shown.tsx';
import { Badge, CopyButton, Button } from '@mantine/core';
import type { ItemView } from '../../electron/shared/contract.ts';
import { prettyIfJson, prettyJson } from '../lib/format.ts';
import { Empty } from './FlagsPanel.tsx';
import classes from './Item.module.css';

const KIND_LABEL: Record<string, string> = {
  retrieved_document: 'Retrieved document',
  citation: 'Citation',
  tool_call: 'Tool call',
  detector_output: 'Detector output',
  reference_response: 'Reference response',
  note: 'Note',
};

const ORDER = ['retrieved_document', 'citation', 'tool_call', 'reference_response', 'detector_output', 'note'];

/** Documents, citations, tool calls and reference answers. URIs are text: nothing is fetched. */
export function EvidencePanel({ view }: { view: ItemView }) {
  const evidence = view.item.record.evidence;
  if (evidence.length === 0) return <Empty text="No evidence attached to this item." />;
  const sorted = evidence.map((e, i) => ({ e, i })).sort((a, b) => ORDER.indexOf(a.e.kind) - ORDER.indexOf(b.e.kind) || a.i - b.i);
  return (
    <div className={classes.cards} data-testid="evidence-panel">
      {sorted.map(({ e, i }) => {
        const content = e.content ?? '';
        const pretty = e.kind === 'tool_call' || e.kind === 'detector_output' ? prettyIfJson(content) : null;
        return (
          <div key={i} className={classes.card} data-kind={e.kind} data-testid="evidence-card">
            <div className={classes.cardHead}>
              <Badge size="xs" variant="light" color={e.kind === 'reference_response' ? 'teal' : e.kind === 'tool_call' ? 'violet' : 'gray'}>
                {KIND_LABEL[e.kind] ?? e.kind}
              </Badge>
              <span className={`${classes.cardTitle} truncate`}>{e.title ? <Shown text={e.title} /> : '(untitled)'}</span>
            </div>
            {e.uri && (
              <div className={classes.uriRow}>
                <span className={`mono ${classes.uri}`} data-testid="evidence-uri" title="Shown as text; never opened or fetched">
                  <Shown text={e.uri} />
                </span>
                <CopyButton value={e.uri}>
                  {({ copied, copy }) => (
                    <Button size="compact-xs" variant="subtle" color="gray" onClick={copy}>
                      {copied ? 'Copied' : 'Copy'}
                    </Button>
                  )}
                </CopyButton>
              </div>
            )}
            {content &&
              (pretty !== null || e.kind === 'tool_call' ? (
                <pre className="raw-pre">
                  <Shown text={pretty ?? content} />
                </pre>
              ) : (
                <div className={e.kind === 'reference_response' ? classes.reference : classes.docText}>
                  <Shown text={content} />
                </div>
              ))}
            {e.metadata && Object.keys(e.metadata).length > 0 && (
              <details className={classes.details}>
                <summary>Metadata</summary>
                <pre className="raw-pre">
                  <Shown text={prettyJson(e.metadata)} />
                </pre>
              </details>
            )}
          </div>
        );
      })}
    </div>
  );
}
