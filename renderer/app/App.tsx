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
import { Dashboard } from '../dashboard/Dashboard.tsx';
import { TeamView } from '../team/TeamView.tsx';
import { useUi } from '../state/ui.ts';
import { ExpertView } from '../expert/ExpertView.tsx';

export function App() {
  useShortcuts();
  useChangeRefresh();
  const view = useUi((s) => s.view);
  return (
    <div className="app">
      <Header />
      {view === 'dashboard' ? (
        <Dashboard />
      ) : view === 'team' ? (
        <TeamView />
      ) : view === 'expert' ? (
        <ExpertView />
      ) : (
        <main className="panes">
          <QueuePane />
          <ItemPane />
          <VerdictPane />
        </main>
      )}
      <HelpModal />
      <WorkspaceDrawer />
      <ExportDrawer />
      <LinkConfirmModal />
    </div>
  );
}
