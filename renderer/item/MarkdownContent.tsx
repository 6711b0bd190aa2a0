import Markdown, { type Components } from 'react-markdown';
import { useUi } from '../state/ui.ts';
import classes from './Item.module.css';

/** Keeps every URL as it was written: it is only ever shown as text, never used as an address. */
const keepUrl = (url: string) => url;

/**
 * Markdown without raw HTML (HTML in the text shows as text). Images never load: they become a
 * text placeholder. Links are text plus their URL and open only through a confirmation dialog.
 */
const components: Components = {
  img: ({ alt, src }) => (
    <span className={classes.mdImage} data-testid="md-image-placeholder">
      [image: {alt || 'no description'} — {typeof src === 'string' ? src : ''}]
    </span>
  ),
  a: ({ children, href }) => <MdLink url={typeof href === 'string' ? href : ''}>{children}</MdLink>,
};

function MdLink({ url, children }: { url: string; children: React.ReactNode }) {
  const setPendingLink = useUi((s) => s.setPendingLink);
  return (
    <span className={classes.mdLink} data-testid="md-link">
      <span
        role="button"
        tabIndex={0}
        className={classes.mdLinkText}
        onClick={() => setPendingLink(url)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            setPendingLink(url);
          }
        }}
      >
        {children}
      </span>{' '}
      <span className={classes.mdLinkUrl}>({url})</span>
    </span>
  );
}

export function MarkdownContent({ text }: { text: string }) {
  return (
    <div className={classes.markdown} data-testid="markdown-content">
      <Markdown components={components} urlTransform={keepUrl} skipHtml={false}>
        {text}
      </Markdown>
    </div>
  );
}
