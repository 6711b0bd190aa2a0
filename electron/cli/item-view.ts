/** `verdict items show ID` for people: the item as a readable page (the record itself with --json). */
import type { ItemDetail, VerdictRow } from '../shared/contract.ts';
import { plain } from './table.ts';

const PRIORITY_NAMES = ['critical', 'high', 'normal', 'low'];

const indent = (text: string, by = '    ') => plain(text).split('\n').map((l) => `${by}${l}`).join('\n');

export function itemView(item: ItemDetail, verdicts: VerdictRow[]): string {
  const r = item.record;
  const lines: string[] = [];
  lines.push(`${plain(item.id)}  (source id ${plain(item.externalId)})`);
  lines.push(
    `status ${item.status} · priority ${PRIORITY_NAMES[item.priority] ?? item.priority} · route ${plain(item.route)}` +
      `${item.riskTier ? ` · risk ${plain(item.riskTier)}` : ''} · revision ${item.revision} of ${item.revisions.length}`,
  );
  lines.push(`created ${item.createdAt} · ingested ${item.ingestedAt} from ${plain(item.sourceName)} (${plain(item.sourceUri)})`);
  if (item.model) lines.push(`model ${plain(item.model)}`);
  for (const [title, conv] of [['Input', r.input], ['Output', r.output]] as const) {
    if (!conv) continue;
    lines.push('', `${title}:`);
    for (const m of conv.messages) lines.push(`  [${m.role}${m.name ? ` ${plain(m.name)}` : ''}]`, indent(m.content));
  }
  if (r.flags.length) {
    lines.push('', `Flags (${r.flags.length}):`);
    for (const f of r.flags) {
      const what = [f.category, f.policy].filter(Boolean).map((x) => plain(String(x))).join(' / ');
      lines.push(`  - ${plain(f.source)}${what ? `: ${what}` : ''}${f.score !== undefined ? ` (score ${f.score})` : ''}`);
      if (f.reason) lines.push(indent(f.reason));
    }
  }
  if (r.evidence.length) {
    lines.push('', `Evidence (${r.evidence.length}):`);
    for (const e of r.evidence) lines.push(`  - ${e.kind}${e.title ? `: ${plain(e.title)}` : ''}${e.uri ? ` <${plain(e.uri)}>` : ''}`);
  }
  lines.push('', 'Revisions:');
  for (const rev of item.revisions) lines.push(`  ${rev.revision}. ${rev.ingestedAt}  ${plain(rev.sourceFile ?? '-')}${rev.line ? `:${rev.line}` : ''}  sha256 ${rev.contentSha256.slice(0, 16)}…`);
  lines.push('', verdicts.length ? 'Verdicts:' : 'Verdicts: none yet');
  for (const v of verdicts) {
    const extra = [v.labels.length ? `labels ${v.labels.map(plain).join(', ')}` : '', v.severity ? `severity ${plain(v.severity)}` : '', v.routeTo ? `to ${plain(v.routeTo)}` : '']
      .filter(Boolean)
      .join(' · ');
    lines.push(`  ${v.decidedAt}  ${v.kind} ${v.decision} by ${plain(v.reviewer)}${extra ? ` · ${extra}` : ''}`);
    if (v.rationale) lines.push(indent(v.rationale, '      '));
  }
  lines.push('', 'Full record: add --json.');
  return `${lines.join('\n')}\n`;
}
