import { memo } from 'react';
import { codePointLabel, codePointName, splitHidden } from './hidden-chars.ts';

/**
 * Untrusted text with every bidi control and invisible character shown as a marked code point
 * (see hidden-chars.ts). Plain text otherwise: React escapes it, nothing is parsed as HTML.
 */
export const Shown = memo(function Shown({ text }: { text: string }) {
  const pieces = splitHidden(text);
  if (pieces.length === 1 && 'text' in pieces[0]!) return <>{text}</>;
  return (
    <>
      {pieces.map((p, i) =>
        'text' in p ? (
          p.text
        ) : (
          <span key={i} className="hidden-char" data-testid="hidden-char" data-cp={codePointLabel(p.hidden)} title={`${codePointName(p.hidden)} (hidden in the source text)`}>
            {codePointLabel(p.hidden)}
          </span>
        ),
      )}
    </>
  );
});
