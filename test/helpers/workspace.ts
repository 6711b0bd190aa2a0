import { fileURLToPath } from 'node:url';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationsFolder, openWorkspace, type Workspace } from '../../electron/core/workspace/open.ts';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'verdict-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real SQLite workspace file in its own temporary folder. */
export function tempWorkspace(): { ws: Workspace; dir: string; path: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'workspace.verdict.sqlite');
  const ws = openWorkspace(path);
  return {
    ws,
    dir,
    path,
    cleanup: () => {
      try {
        ws.close();
      } catch {
        // already closed by the test
      }
      cleanup();
    },
  };
}

/** Anthropic HH-RLHF harmless-base test split (MIT, see test/fixtures/hh-rlhf-LICENSE), kept in the repository. */
export const HH_RLHF = fileURLToPath(new URL('../fixtures/hh-rlhf-harmless-base-test.jsonl.gz', import.meta.url));

/** A migrations folder holding only the first `n` migrations: what an older Verdict shipped. */
export function olderMigrations(dir: string, n: number): string {
  const out = join(dir, `migrations-${n}`);
  mkdirSync(join(out, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8'));
  journal.entries = journal.entries.slice(0, n);
  writeFileSync(join(out, 'meta', '_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) cpSync(join(migrationsFolder(), `${e.tag}.sql`), join(out, `${e.tag}.sql`));
  return out;
}
