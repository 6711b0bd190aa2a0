/**
 * The desktop keychain store (electron/main/keychain.ts). Electron's safeStorage cannot run
 * here (no Electron binary), so an AES-256-GCM encryptor with the same interface stands in for
 * the OS keychain; what is tested is what reaches the disk.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Keychain, type SafeStorageLike } from '../../electron/main/keychain.ts';
import { tempDir } from '../helpers/workspace.ts';

function aesStorage(available = true): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(b) {
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

const t = tempDir('verdict-keychain-');
afterAll(() => t.cleanup());

describe('team password keychain', () => {
  const team = 'ana@postgres://db.example.org:5432/verdict';
  const password = 'correct horse battery staple';

  it('writes only the encrypted blob, owner-readable, and reads it back', () => {
    const dir = join(t.dir, 'keys');
    const k = new Keychain(dir, aesStorage());
    expect(k.save(team, password)).toBe(true);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const file = join(dir, files[0]!);
    expect(files[0]).not.toContain('ana');
    expect(readFileSync(file).includes(Buffer.from(password))).toBe(false);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(k.load(team)).toBe(password);
    expect(k.load('ben@postgres://db.example.org:5432/verdict')).toBeNull();
    k.forget(team);
    expect(existsSync(file)).toBe(false);
    expect(k.load(team)).toBeNull();
  });

  it('without keychain encryption writes nothing (the password stays in memory)', () => {
    const dir = join(t.dir, 'none');
    const k = new Keychain(dir, aesStorage(false));
    expect(k.save(team, password)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(k.load(team)).toBeNull();
  });
});
