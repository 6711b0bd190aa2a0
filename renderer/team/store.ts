/**
 * Team mode in the renderer: the status the core reports (never a password), the open item, and
 * what the reviewer is doing. Every rule (who may claim, what is accepted) is the team
 * database's; this store only shows its answers.
 */
import { create } from 'zustand';
import type { TeamBatchView, TeamItemView, TeamStatus } from '../../electron/shared/contract.ts';
import { call, on } from '../api.ts';
import { emitAppEvent } from '../lib/appEvents.ts';
import { errorMessage } from '../lib/format.ts';

export type TeamDecision = 'violation' | 'dismiss' | 'escalate';

interface TeamState {
  status: TeamStatus | null;
  /** Server clock minus this browser's clock (ms), so countdowns follow the server. */
  skewMs: number;
  openSeq: number | null;
  item: TeamItemView | null;
  busy: boolean;
  error: string | null;
  load(): Promise<void>;
  connect(url: string, user: string, password: string): Promise<boolean>;
  disconnect(forget: boolean): Promise<void>;
  claim(count: number): Promise<void>;
  open(seq: number | null): Promise<void>;
  heartbeat(): Promise<void>;
  /** The verdict on the item just saved, once "save and next" moved on to the next item. */
  previous: TeamBatchView | null;
  /**
   * "Save and next": sends the verdict (and its correction, null when the output was not edited)
   * and claims the next item in one round trip. Accepted: the next item opens at once. Refused,
   * expired or reassigned: the outcome stays on screen, exactly as the team database answered.
   */
  submit(decision: TeamDecision, rationale: string, correction: string | null, next: boolean): Promise<void>;
  release(): Promise<void>;
  /** Escalates the open item to an expert route with a question, or puts it on hold: the lease ends. */
  handOver(how: { escalate: { toRoute: string; question: string; firstDecision: 'violation' | 'dismiss' } } | { hold: { reason: string; reviewBy: string } }): Promise<void>;
  push(): Promise<void>;
}

function announce(status: TeamStatus): void {
  emitAppEvent('verdict:team-status', {
    online: status.online,
    batch: status.batch.map((b) => ({ seq: b.seq, itemId: b.itemId, state: b.state, reasonCode: b.reasonCode })),
  });
}

export const useTeam = create<TeamState>((set, get) => {
  const run = async (fn: () => Promise<void>) => {
    set({ busy: true, error: null });
    try {
      await fn();
    } catch (err) {
      set({ error: errorMessage(err) });
    } finally {
      set({ busy: false });
    }
  };
  const setStatus = (status: TeamStatus) => {
    set({ status, skewMs: Date.parse(status.now) - Date.now() });
    announce(status);
  };
  const setRow = (row: TeamBatchView) => {
    const { item, status } = get();
    if (item && item.row.seq === row.seq) set({ item: { ...item, row } });
    if (status) set({ status: { ...status, batch: status.batch.map((b) => (b.seq === row.seq ? row : b)) } });
  };

  return {
    status: null,
    skewMs: 0,
    openSeq: null,
    item: null,
    previous: null,
    busy: false,
    error: null,
    load: async () => {
      try {
        setStatus(await call('team.status', {}));
      } catch (err) {
        set({ error: errorMessage(err) });
      }
    },
    connect: async (url, user, password) => {
      let ok = false;
      await run(async () => {
        setStatus(await call('team.connect', { url, user, password: password || undefined }));
        ok = true;
      });
      if (!ok) await get().load();
      return ok;
    },
    disconnect: (forget) =>
      run(async () => {
        set({ openSeq: null, item: null });
        setStatus(await call('team.disconnect', { forget }));
      }),
    claim: (count) =>
      run(async () => {
        const status = await call('team.claim', { count });
        setStatus(status);
        emitAppEvent('verdict:team-claimed', { claimed: status.batch.filter((b) => b.state === 'claimed').map((b) => b.itemId) });
        const first = status.batch.find((b) => b.state === 'claimed');
        if (get().openSeq === null && first) await get().open(first.seq);
      }),
    open: async (seq) => {
      set({ openSeq: seq, item: seq === null ? null : get().item, previous: null });
      if (seq === null) return;
      try {
        const item = await call('team.item', { seq });
        if (get().openSeq !== seq) return;
        set({ item });
        emitAppEvent('verdict:team-item-shown', { seq, itemId: item.row.itemId, state: item.row.state });
      } catch (err) {
        set({ error: errorMessage(err) });
      }
    },
    heartbeat: async () => {
      const seq = get().openSeq;
      if (seq === null) return;
      try {
        setRow(await call('team.heartbeat', { seq }));
      } catch (err) {
        set({ error: errorMessage(err) });
      }
    },
    submit: (decision, rationale, correction, andNext) =>
      run(async () => {
        const seq = get().openSeq;
        if (seq === null) return;
        const input = { seq, decision, rationale: rationale.trim() || null, correction };
        // "Save and stop" sends the verdict alone: no new lease to sit on at the end of a shift.
        const { row, next } = andNext ? await call('team.submitNext', input) : { row: await call('team.submit', input), next: null };
        setRow(row);
        setStatus(await call('team.status', {}));
        emitAppEvent('verdict:team-verdict', { seq, itemId: row.itemId, state: row.state, next: next?.itemId ?? null });
        if (row.state === 'accepted' && next) {
          await get().open(next.seq);
          set({ previous: row });
        }
      }),
    release: () =>
      run(async () => {
        const seq = get().openSeq;
        if (seq === null) return;
        setRow(await call('team.release', { seq }));
      }),
    handOver: (how) =>
      run(async () => {
        const seq = get().openSeq;
        if (seq === null) return;
        const row =
          'escalate' in how
            ? await call('team.escalate', { seq, ...how.escalate, firstLabels: [] })
            : await call('team.hold', { seq, ...how.hold });
        setRow(row);
        emitAppEvent('verdict:team-handed-over', { seq, itemId: row.itemId, how: 'escalate' in how ? 'escalated' : 'held', state: row.state });
      }),
    push: () =>
      run(async () => {
        setStatus(await call('team.push', {}));
      }),
  };
});

let subscribed = false;

/** Live updates: the core relays LISTEN/NOTIFY and connection changes as `team.changed`. */
export function subscribeTeam(): void {
  if (subscribed) return;
  subscribed = true;
  on('team.changed', (change) => {
    const s = useTeam.getState();
    void s.load();
    const item = s.item;
    if (item && (change.reason === 'outcome' || change.reason === 'lease') && (!change.itemId || change.itemId === item.row.itemId)) void s.open(item.row.seq);
  });
}
