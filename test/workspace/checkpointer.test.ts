import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../electron/core/workspace/checkpointer.ts';
import { tempWorkspace } from '../helpers/workspace.ts';

describe('checkpoint thread', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('checkpoints what was committed, then hands checkpoints back to SQLite', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const db = t.ws.sqlite;
    const ck = startCheckpointer(db, t.path);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec('CREATE TABLE filler (x BLOB)');
    db.transaction(() => {
      for (let i = 0; i < 200; i++) db.prepare('INSERT INTO filler VALUES (randomblob(4000))').run();
    })();
    ck.kick();
    await ck.idle();
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(r!.log).toBeGreaterThan(0);
    expect(r!.checkpointed).toBe(r!.log);
    await ck.close();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('a thread that cannot open the file leaves checkpoints to the writer, even when kicked inside a batch', async () => {
    const t = tempWorkspace();
    cleanup = t.cleanup;
    const db = t.ws.sqlite;
    const ck = startCheckpointer(db, join(t.dir, 'missing.sqlite'));
    db.exec('CREATE TABLE filler (x BLOB)');
    db.exec('BEGIN IMMEDIATE');
    db.prepare('INSERT INTO filler VALUES (randomblob(4000))').run();
    ck.kick();
    await expect(ck.idle()).resolves.toBeUndefined();
    db.exec('COMMIT');
    ck.kick();
    await ck.idle();
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(r!.checkpointed).toBe(r!.log);
    await ck.close();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
