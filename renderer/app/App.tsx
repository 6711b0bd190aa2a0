import { Header } from '../shell/Header.tsx';
import { HelpModal } from '../shell/HelpModal.tsx';
import { useShortcuts } from '../shell/useShortcuts.ts';
import { useChangeRefresh } from '../shell/useChangeRefresh.ts';
import { QueuePane } from '../queue/QueuePane.tsx';
import { ItemPane } from '../item/ItemPane.tsx';
import { LinkConfirmModal } from '../item/LinkConfirmModal.tsx';
import { VerdictPane } from '../verdict/VerdictPane.tsx';
import { WorkspaceDrawer } from '../workspace/WorkspaceDrawer.tsx';
import { ExportDrawer } from '../export/ExportDrawer.tsx';

export function App() {
  useShortcuts();
  useChangeRefresh();
  return (
    <div className="app">
      <Header />
      <main className="panes">
        <QueuePane />
        <ItemPane />
        <VerdictPane />
      </main>
      <HelpModal />
      <WorkspaceDrawer />
      <ExportDrawer />
      <LinkConfirmModal />
    </div>
  );
}
