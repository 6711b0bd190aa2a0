import { Shown } from '../lib/Shown.tsx';
import { visibleString } from '../lib/hidden-chars.ts';
import type { PlacedSpan } from '../lib/codepoints.ts';
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
        <div className={classes.msgText} data-testid="message-text">
          {content.length === 0 ? <span className={classes.emptyText}>(empty)</span> : <HighlightedText text={content} spans={spans} flags={flags} />}
        </div>
      )}
    </div>
  );
}
