/**
 * TLS: without sslmode the client encrypts when the server offers it (libpq's default,
 * "prefer"); sslmode=verify-full refuses a certificate it cannot check, in one line.
 */
import { describe, expect, it } from 'vitest';
import { connectTeam } from '../../electron/core/team/api.ts';
import { teamClient } from '../../electron/core/team/connect.ts';
import { pgForThisFile } from '../support/pg.ts';
import { addUser, initTeam } from './helpers.ts';

const pg = pgForThisFile({ tls: true });

describe('team connections and TLS', () => {
  it('uses TLS when the server offers it, and checks certificates under sslmode=verify-full', async () => {
    const c = pg.get();
    await initTeam(c);
    const url = await addUser(c, 'ann', 'reviewer', ['trust_safety']);
    const client = await teamClient(url, 'tls test');
    try {
      const r = await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(r.rows[0].ssl).toBe(true);
    } finally {
      await client.end();
    }
    const session = await connectTeam(url);
    expect((await session.whoami()).user).toBe('ann');
    await session.close();
    await expect(connectTeam(`${url}?sslmode=verify-full`)).rejects.toThrow(/TLS certificate was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\); give its CA with sslrootcert/);
  });
});
