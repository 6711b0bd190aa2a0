import { Alert, Button, Group, Kbd, Loader, SegmentedControl, Tabs, Text } from '@mantine/core';
import { useEffect } from 'react';
import { emitAppEvent } from '../lib/appEvents.ts';
import { itemPainted } from '../lib/paintGate.ts';
import { KeyHint } from '../shell/KeyHint.tsx';
import { useUi, type ItemTab } from '../state/ui.ts';
import { Conversation } from './Conversation.tsx';
import { EvidencePanel } from './EvidencePanel.tsx';
import { FlagsPanel } from './FlagsPanel.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { ItemHeader } from './ItemHeader.tsx';
import { ProvenancePanel } from './ProvenancePanel.tsx';
import { loadMask, revealMasked, useMask } from './mask.ts';
import { useItem } from './queries.ts';
import classes from './Item.module.css';

export function ItemPane() {
  const selectedId = useUi((s) => s.selectedId);
  const tab = useUi((s) => s.itemTab);
  const setTab = useUi((s) => s.setItemTab);
  const markdown = useUi((s) => s.markdown);
  const setMarkdown = useUi((s) => s.setMarkdown);
  const entry = useItem(selectedId);
  const view = entry?.data;
  const itemId = view?.item.id;
  useEffect(() => {
    if (itemId) loadMask(itemId);
  }, [itemId]);
  const maskKnown = useMask((s) => (itemId ? itemId in s.reason : false));
  const maskReason = useMask((s) => (itemId ? (s.reason[itemId] ?? null) : null));
  const revealed = useMask((s) => (itemId ? !!s.revealed[itemId] : false));
  const hidden = !maskKnown || (maskReason !== null && !revealed);

  // Tell whoever waits (the e2e tests, the background work held back by paintGate) once the
  // item, or why it could not load, is in the frame being drawn.
  const error = entry?.error;
  useEffect(() => {
    if ((!view || !maskKnown) && !error) return;
    const raf = requestAnimationFrame(() => {
      if (view) emitAppEvent('verdict:item-shown', { id: view.item.id, status: view.item.status, masked: maskReason });
      itemPainted();
    });
    return () => cancelAnimationFrame(raf);
    // Shown once whether it is masked is known: the tests wait on the masked state too.
  }, [view, error, maskKnown, maskReason]);

  const counts = view
    ? { flags: view.item.record.flags.length, evidence: view.item.record.evidence.length }
    : null;

  return (
    <section
      id="item-pane"
      tabIndex={-1}
      className="pane pane-item"
      aria-label="Item"
      data-testid="item-pane"
      data-item-id={view?.item.id ?? ''}
    >
      {!selectedId && (
        <div className={classes.placeholder} data-testid="item-empty">
          <Text size="sm" c="dimmed">
            Nothing selected. Pick an item in the queue (J / K to move); if the queue is empty, change its filters, or press Z to undo your
            last verdict.
          </Text>
        </div>
      )}
      {selectedId && !view && !entry?.error && (
        <div className={classes.placeholder}>
          <Loader size="sm" type="dots" />
        </div>
      )}
      {selectedId && entry?.error && !view && (
        <Alert color="red" variant="light" m="md" title="This item could not load">
          {entry.error}
        </Alert>
      )}
      {view && (
        <>
          <ItemHeader view={view} refreshing={entry?.pending ?? false} />
          <div className={classes.tabsBar}>
            <Tabs value={tab} onChange={(v) => v && setTab(v as ItemTab)} variant="default" className={classes.tabs}>
              <Tabs.List>
                <Tabs.Tab value="conversation" data-testid="tab-conversation">
                  Conversation
                </Tabs.Tab>
                <Tabs.Tab value="flags" data-testid="tab-flags" rightSection={<Count n={counts?.flags} />}>
                  Flags
                </Tabs.Tab>
                <Tabs.Tab value="evidence" data-testid="tab-evidence" rightSection={<Count n={counts?.evidence} />}>
                  Evidence
                </Tabs.Tab>
                <Tabs.Tab value="provenance" data-testid="tab-provenance">
                  Provenance
                </Tabs.Tab>
                <Tabs.Tab value="history" data-testid="tab-history" rightSection={<Count n={view.verdicts.length} />}>
                  History
                </Tabs.Tab>
              </Tabs.List>
            </Tabs>
            <Group gap={6} wrap="nowrap" className={classes.viewToggle}>
              <span title="Next tab (Shift+T: previous)" className={classes.hint}>
                <KeyHint keys={['t']} />
              </span>
              <span className={classes.hintSep} />
              <SegmentedControl
                size="xs"
                value={markdown ? 'markdown' : 'plain'}
                onChange={(v) => setMarkdown(v === 'markdown')}
                data={[
                  { value: 'plain', label: 'Plain' },
                  { value: 'markdown', label: 'Markdown' },
                ]}
                data-testid="view-toggle"
              />
              <span className={classes.hint}>
                <KeyHint keys={['m']} />
              </span>
            </Group>
          </div>
          <WellbeingNotes />
          {hidden ? (
            <MaskedContent itemId={view.item.id} reason={maskReason} />
          ) : (
          <div className={`scroll-y ${classes.body}`} key={`${view.item.id}:${tab}`} data-testid={`panel-${tab}`}>
            {tab === 'conversation' && <Conversation view={view} markdown={markdown} />}
            {tab === 'flags' && <FlagsPanel view={view} />}
            {tab === 'evidence' && <EvidencePanel view={view} />}
            {tab === 'provenance' && <ProvenancePanel view={view} />}
            {tab === 'history' && <HistoryPanel view={view} />}
          </div>
          )}
        </>
      )}
    </section>
  );
}

/** The calm placeholder in place of masked content: why, and how to reveal it. Never the text. */
function MaskedContent({ itemId, reason }: { itemId: string; reason: string | null }) {
  if (reason === null) {
    return (
      <div className={classes.placeholder}>
        <Loader size="sm" type="dots" />
      </div>
    );
  }
  return (
    <div className={`scroll-y ${classes.body}`}>
      <div className={classes.masked} data-testid="desk-masked" data-reason={reason}>
        <Text size="sm" fw={600}>
          Masked: {reason}
        </Text>
        <Text size="sm" c="dimmed" mt={4}>
          This item may contain distressing content, so it opens hidden. Press <Kbd size="xs">o</Kbd> to show it when you are ready; each reveal
          counts toward your daily exposure total.
        </Text>
        <Button size="compact-sm" variant="light" mt={10} onClick={() => void revealMasked(itemId)} data-testid="desk-reveal">
          Show content
        </Button>
      </div>
    </div>
  );
}

/** The break reminder (once reveals today reach the setting) and a reveal that could not be recorded. */
function WellbeingNotes() {
  const wellbeing = useMask((s) => s.wellbeing);
  const error = useMask((s) => s.revealError);
  if (!wellbeing?.breakDue && !error) return null;
  return (
    <div className={classes.wellbeingNotes}>
      {wellbeing?.breakDue && (
        <Alert color="blue" variant="light" title="Time for a break" data-testid="desk-break-reminder">
          You have opened {wellbeing.reveals} masked {wellbeing.reveals === 1 ? 'item' : 'items'} today (reminder after {wellbeing.breakAfter}). Step away for a few minutes.
        </Alert>
      )}
      {error && (
        <Alert color="yellow" variant="light" title="The reveal was not recorded" data-testid="desk-reveal-error">
          {error}
        </Alert>
      )}
    </div>
  );
}

function Count({ n }: { n: number | undefined }) {
  if (!n) return null;
  return <span className={classes.tabCount}>{n}</span>;
}
