/**
 * The team password in the desktop app: encrypted with the OS keychain through Electron's
 * safeStorage, one small file per team connection under the app's user-data folder. Only the
 * encrypted blob touches the disk; without keychain encryption nothing is written (the
 * password then lives in memory for the session). No Electron import here: main.ts passes
 * `safeStorage` in.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class Keychain {
  constructor(
    private readonly dir: string,
    private readonly safe: SafeStorageLike,
  ) {}

  get available(): boolean {
    return this.safe.isEncryptionAvailable();
  }

  private file(teamKey: string): string {
    return join(this.dir, `${createHash('sha256').update(teamKey).digest('hex').slice(0, 32)}.bin`);
  }

  /** False when the OS offers no keychain encryption: then nothing is written. */
  save(teamKey: string, password: string): boolean {
    if (!this.available) return false;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileSync(this.file(teamKey), this.safe.encryptString(password), { mode: 0o600 });
    return true;
  }

  load(teamKey: string): string | null {
    if (!this.available) return null;
    try {
      return this.safe.decryptString(readFileSync(this.file(teamKey)));
    } catch {
      return null;
    }
  }

  forget(teamKey: string): void {
    rmSync(this.file(teamKey), { force: true });
  }
}
