import { Shown } from '../lib/Shown.tsx';
import { visibleString } from '../lib/hidden-chars.ts';
import { codePointOffsetIn, type PlacedSpan } from '../lib/codepoints.ts';
import { pickSpan } from '../verdict/span-edits.ts';
import type { MouseEvent } from 'react';
import { HighlightedText } from './HighlightedText.tsx';
import { MarkdownContent } from './MarkdownContent.tsx';
import type { Flag } from './spans.ts';
import classes from './Item.module.css';

interface Props {
  role: string;
  name?: string;
  content: string;
  index: number;
  side: 'input' | 'output';
  spans: PlacedSpan[];
  flags: Flag[];
  markdown: boolean;
}

/** Text selected inside one message becomes the picked span (code points), waiting for a label in the verdict pane. */
function onSelectText(e: MouseEvent<HTMLDivElement>, field: string): void {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
  const box = e.currentTarget;
  if (!box.contains(sel.anchorNode) || !box.contains(sel.focusNode)) return;
  const r = sel.getRangeAt(0);
  const start = codePointOffsetIn(box, r.startContainer, r.startOffset);
  const end = codePointOffsetIn(box, r.endContainer, r.endOffset);
  if (end > start) pickSpan({ field, start, end });
}

const ROLE_LABEL: Record<string, string> = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' };

export function MessageBlock({ role, name, content, index, side, spans, flags, markdown }: Props) {
  const known = role in ROLE_LABEL ? role : 'other';
  return (
    <div className={classes.msg} data-role={known} data-testid={`message-${side}-${index}`}>
      <div className={classes.msgHead}>
        <span className={classes.role} data-role={known}>
          {ROLE_LABEL[role] ?? role}
        </span>
        {name && (
          <span className={classes.msgName} title={visibleString(name)}>
            <Shown text={name} />
          </span>
        )}
        <span className={classes.msgMeta}>
          {side}.messages[{index}]{spans.length > 0 ? ` · ${spans.length} span${spans.length === 1 ? '' : 's'}` : ''}
        </span>
      </div>
      {markdown ? (
        <MarkdownContent text={content} />
      ) : (
        <div className={classes.msgText} data-testid="message-text" data-field={`${side}.messages[${index}]`} onMouseUp={(e) => onSelectText(e, `${side}.messages[${index}]`)}>
          {content.length === 0 ? <span className={classes.emptyText}>(empty)</span> : <HighlightedText text={content} spans={spans} flags={flags} />}
        </div>
      )}
    </div>
  );
}
