/**
 * The expert-review view: the adjudication queue, agreement between reviewers, items on hold
 * gold items and the expert overturn rate per model. A lead's view over the local workspace (imported verdicts included).
 */
import { Tabs } from '@mantine/core';
import { useUi, type ExpertTab } from '../state/ui.ts';
import { Adjudication } from './Adjudication.tsx';
import { Agreement } from './Agreement.tsx';
import { Gold } from './Gold.tsx';
import { Holds } from './Holds.tsx';
import { Overturns } from './Overturns.tsx';
import classes from './Expert.module.css';

export function ExpertView() {
  const tab = useUi((s) => s.expertTab);
  const setTab = useUi((s) => s.setExpertTab);
  return (
    <main className={classes.page} data-testid="expert-view" aria-label="Expert review">
      <Tabs value={tab} onChange={(v) => v && setTab(v as ExpertTab)} keepMounted={false} className={classes.tabs}>
        <Tabs.List>
          <Tabs.Tab value="adjudication" data-testid="expert-tab-adjudication">
            Adjudication
          </Tabs.Tab>
          <Tabs.Tab value="agreement" data-testid="expert-tab-agreement">
            Agreement
          </Tabs.Tab>
          <Tabs.Tab value="holds" data-testid="expert-tab-holds">
            On hold
          </Tabs.Tab>
          <Tabs.Tab value="gold" data-testid="expert-tab-gold">
            Gold
          </Tabs.Tab>
          <Tabs.Tab value="overturns" data-testid="expert-tab-overturns">
            Overturns by model
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="adjudication" className={classes.panel}>
          <Adjudication />
        </Tabs.Panel>
        <Tabs.Panel value="agreement" className={classes.panel}>
          <Agreement />
        </Tabs.Panel>
        <Tabs.Panel value="holds" className={classes.panel}>
          <Holds />
        </Tabs.Panel>
        <Tabs.Panel value="gold" className={classes.panel}>
          <Gold />
        </Tabs.Panel>
        <Tabs.Panel value="overturns" className={classes.panel}>
          <Overturns />
        </Tabs.Panel>
      </Tabs>
    </main>
  );
}
