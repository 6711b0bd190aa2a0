/**
 * The desktop build ships hardened: the electron-builder config sets Electron's fuses, and the
 * config is valid against electron-builder's own schema (a misspelt fuse would be refused).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const CONFIG = JSON.parse(readFileSync(new URL('../../build/electron-builder.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('electron-builder config', () => {
  it('sets the fuses of the Electron security checklist', () => {
    expect(CONFIG.asar).toBe(true);
    expect(CONFIG.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("is valid against electron-builder's schema, which refuses an unknown fuse", () => {
    // app-builder-lib's own ajv and schema: what electron-builder validates the config with.
    const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
    const Ajv = requireFromBuilder('ajv') as new (o: object) => { compile(s: unknown): ((d: unknown) => boolean) & { errors?: unknown } };
    const validate = new Ajv({ allErrors: true, strict: false }).compile(requireFromBuilder('./scheme.json'));
    expect(validate(CONFIG), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...CONFIG, electronFuses: { ...(CONFIG.electronFuses as object), runAsNod: false } })).toBe(false);
  });
});
