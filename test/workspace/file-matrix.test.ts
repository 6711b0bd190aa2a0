/**
 * The file matrix: foreign SQLite, 0-byte, text, truncated, random header, damaged data page and
 * newer format × every command that opens a workspace: exit 1, one line on stderr, the file
 * byte-identical and no WAL beside it. Commands run in-process through the CLI's own main() (one
 * of each file kind also as a real child process).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.ts';
import { ingest } from '../../electron/core/ingest/ingest.ts';
import { ReviewService } from '../../electron/core/review/verdicts.ts';
import { APPLICATION_ID, FORMAT_VERSION, inspectWorkspaceFile } from '../../electron/core/workspace/file-check.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';
import { tempDir } from '../helpers/workspace.ts';

const BIN = new URL('../../electron/cli/bin.mjs', import.meta.url).pathname;
const t = tempDir();
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** A real workspace with enough rows that its tables span many pages. */
async function realWorkspace(path: string): Promise<void> {
  const ws = openWorkspace(path);
  const f = join(t.dir, 'seed.jsonl');
  writeFileSync(
    f,
    Array.from({ length: 400 }, (_, i) => JSON.stringify({ id: `e${i}`, created_at: '2026-11-01T00:00:00Z', input: `question ${i} `.repeat(40), output: 'x' })).join('\n') + '\n',
  );
  await ingest(ws, { path: f });
  const item = ws.sqlite.prepare('SELECT id FROM items LIMIT 1').pluck().get() as string;
  new ReviewService(ws).submit({ itemId: item, decision: 'dismiss', reviewer: 'r' });
  ws.close();
}

const FILES: Record<string, (path: string, seed: string) => void> = {
  'foreign SQLite': (p) => {
    const db = new Database(p);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('ada'), ('bob');");
    db.close();
  },
  '0-byte': (p) => writeFileSync(p, ''),
  text: (p) => writeFileSync(p, 'these are my notes, not a database\n'.repeat(50)),
  truncated: (p, seed) => {
    copyFileSync(seed, p);
    truncateSync(p, Math.floor(statSync(p).size / 2 / 8192) * 8192);
  },
  'random header': (p, seed) => {
    copyFileSync(seed, p);
    const fd = openSync(p, 'r+');
    writeSync(fd, randomBytes(100), 0, 100, 0);
    closeSync(fd);
  },
  'damaged data page': (p, seed) => {
    copyFileSync(seed, p);
    const pages = statSync(p).size / 8192;
    const fd = openSync(p, 'r+');
    // Several pages in the middle of the file (item revisions) overwritten with noise.
    for (let i = Math.floor(pages / 2); i < Math.floor(pages / 2) + 3; i++) writeSync(fd, randomBytes(8192), 0, 8192, i * 8192);
    closeSync(fd);
  },
  'newer format': (p, seed) => {
    copyFileSync(seed, p);
    const db = new Database(p);
    db.pragma(`user_version = ${FORMAT_VERSION + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
  },
};

/** Every command that opens a workspace, with arguments that would otherwise succeed or write. */
function commands(ws: string): Record<string, string[]> {
  const input = join(t.dir, 'input.jsonl');
  const verdicts = join(t.dir, 'verdicts.jsonl');
  return {
    stats: ['stats', '--workspace', ws],
    'items list': ['items', 'list', '--workspace', ws],
    'sources list': ['sources', 'list', '--workspace', ws],
    'quarantine list': ['quarantine', 'list', '--workspace', ws],
    ingest: ['ingest', input, '--workspace', ws],
    demo: ['demo', '--count', '3', '--workspace', ws],
    'verdicts import': ['verdicts', 'import', verdicts, '--workspace', ws],
    export: ['export', '--format', 'classifier', '--out', join(t.dir, `out-${Math.random()}`), '--workspace', ws],
    'audit verify': ['audit', 'verify', '--workspace', ws],
    'audit head': ['audit', 'head', '--workspace', ws],
    'sync status': ['sync', 'status', '--workspace', ws],
  };
}

async function runInProcess(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  const outWrite = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    const code = await main(argv);
    return { code, stderr };
  } finally {
    process.stderr.write = write;
    process.stdout.write = outWrite;
  }
}

describe('only Verdict workspaces are opened, and damage is caught before a write', () => {
  const seed = join(t.dir, 'seed.verdict.sqlite');
  beforeAll(async () => {
    await realWorkspace(seed);
    writeFileSync(join(t.dir, 'input.jsonl'), JSON.stringify({ id: 'new', created_at: '2026-11-01T00:00:00Z', input: 'q', output: 'a' }) + '\n');
    writeFileSync(join(t.dir, 'verdicts.jsonl'), JSON.stringify({ external_id: 'e1', decision: 'dismiss', reviewer: 'r' }) + '\n');
  });
  afterAll(() => t.cleanup());

  it('a new workspace carries the application id and format version; an untouched one opens', () => {
    const db = new Database(seed, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(FORMAT_VERSION);
    db.close();
    expect(readFileSync(seed).readUInt32BE(68)).toBe(APPLICATION_ID);
    expect(spawnSync(process.execPath, [BIN, 'stats', '--workspace', seed], { encoding: 'utf8' }).status).toBe(0);
  });

  for (const [kind, make] of Object.entries(FILES)) {
    it(`${kind}: every command exits 1 with one line and leaves the file byte-identical`, async () => {
      const path = join(t.dir, `${kind.replace(/\W+/g, '-')}.sqlite`);
      make(path, seed);
      const before = sha(path);
      for (const [name, argv] of Object.entries(commands(path))) {
        const r = await runInProcess(argv);
        expect(r.code, `${name}: ${r.stderr}`).toBe(1);
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines, `${name}: ${r.stderr}`).toHaveLength(1);
        expect(lines[0], name).toMatch(/not a Verdict workspace|another application|damaged|truncated|newer Verdict|empty file/);
        expect(lines[0], name).not.toMatch(/\bat .*\.ts:\d+/);
        expect(sha(path), `${name} changed the file`).toBe(before);
        expect(existsSync(`${path}-wal`), `${name} left a WAL: ${r.stderr}`).toBe(false);
      }
      // The same through a real process.
      const child = spawnSync(process.execPath, [BIN, 'ingest', join(t.dir, 'input.jsonl'), '--workspace', path], { encoding: 'utf8' });
      expect(child.status).toBe(1);
      expect(child.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(sha(path)).toBe(before);
    });
  }

  it('a live workspace caught mid-checkpoint (header ahead of the file, frames in its WAL) is not called truncated', () => {
    // Another connection's checkpoint copies page 1, with the new page count, before the pages that
    // extend the file: a CLI import opening the workspace at that moment was refused as truncated.
    const path = join(t.dir, 'live.sqlite');
    copyFileSync(seed, path);
    const writer = new Database(path);
    try {
      writer.pragma('wal_autocheckpoint = 0');
      writer.exec('CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1)');
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
      const fd = openSync(path, 'r+');
      const header = Buffer.alloc(4);
      header.writeUInt32BE(statSync(path).size / readFileSync(path).readUInt16BE(16) + 8);
      writeSync(fd, header, 0, 4, 28);
      closeSync(fd);
      expect(inspectWorkspaceFile(path, false)).toBe('verdict');
    } finally {
      writer.close();
    }
  });

  it('an older workspace without the id is recognised and stamped on its first write', async () => {
    const path = join(t.dir, 'legacy.sqlite');
    copyFileSync(seed, path);
    const db = new Database(path);
    db.pragma('application_id = 0');
    db.pragma('user_version = 0');
    db.pragma('journal_mode = DELETE');
    db.close();
    expect((await runInProcess(['stats', '--workspace', path])).code).toBe(0);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    after.close();
  });
});
