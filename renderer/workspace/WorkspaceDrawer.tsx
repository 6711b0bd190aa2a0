import { Drawer, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useUi } from '../state/ui.ts';
import { AuditSection } from './AuditSection.tsx';
import { IngestSection } from './IngestSection.tsx';
import { QuarantineSection } from './QuarantineSection.tsx';
import { SettingsSection } from './SettingsSection.tsx';
import { SourcesSection } from './SourcesSection.tsx';
import { SyncSection } from '../sync/SyncSection.tsx';
import classes from './Workspace.module.css';

type Section = 'sources' | 'sync' | 'quarantine' | 'audit' | 'settings';

/** Sources, ingest, sync back, quarantine, audit and settings (g w). */
export function WorkspaceDrawer() {
  const open = useUi((s) => s.workspaceOpen);
  const setOpen = useUi((s) => s.setWorkspaceOpen);
  const [section, setSection] = useState<Section>('sources');
  return (
    <Drawer
      opened={open}
      onClose={() => setOpen(false)}
      closeButtonProps={{ 'aria-label': 'Close the workspace' }}
      position="right"
      size={760}
      title={<span className={classes.title}>Workspace</span>}
    >
      <div className={classes.content} data-testid="workspace-drawer">
        <IngestSection />
        <Tabs value={section} onChange={(v) => v && setSection(v as Section)} className={classes.tabs}>
          <Tabs.List>
            <Tabs.Tab value="sources" data-testid="ws-tab-sources">
              Sources
            </Tabs.Tab>
            <Tabs.Tab value="sync" data-testid="ws-tab-sync">
              Sync
            </Tabs.Tab>
            <Tabs.Tab value="quarantine" data-testid="ws-tab-quarantine">
              Quarantine
            </Tabs.Tab>
            <Tabs.Tab value="audit" data-testid="ws-tab-audit">
              Audit log
            </Tabs.Tab>
            <Tabs.Tab value="settings" data-testid="ws-tab-settings">
              Settings
            </Tabs.Tab>
          </Tabs.List>
        </Tabs>
        <div className={classes.section}>
          {section === 'sources' && <SourcesSection />}
          {section === 'sync' && <SyncSection />}
          {section === 'quarantine' && <QuarantineSection />}
          {section === 'audit' && <AuditSection />}
          {section === 'settings' && <SettingsSection />}
        </div>
      </div>
    </Drawer>
  );
}
