/**
 * Connection settings for a team URL. With sslmode in the URL, node-postgres does what it says
 * (verify-full: encrypted, certificate and host name checked against Node's CA bundle or
 * sslrootcert). Without it, we do what libpq's default (sslmode=prefer) does: TLS when the
 * server offers it, plain when it does not. "prefer" does not check the certificate: a URL that
 * crosses a network should say sslmode=verify-full.
 */
import pg from 'pg';

const NO_SSL = /does not support SSL/i;
const cache = new Map<string, boolean>();

export function hasSslMode(url: string): boolean {
  try {
    return new URL(url).searchParams.has('sslmode');
  } catch {
    return false;
  }
}

/** Whether the server at `url` accepts TLS (probed once per URL and process). */
async function serverOffersTls(url: string, password?: string): Promise<boolean> {
  const known = cache.get(url);
  if (known !== undefined) return known;
  const probe = new pg.Client({ connectionString: url, ssl: { rejectUnauthorized: false }, connectionTimeoutMillis: 10_000, ...(password !== undefined ? { password } : {}) });
  try {
    await probe.connect();
    cache.set(url, true);
    return true;
  } catch (err) {
    if (NO_SSL.test(String((err as Error).message))) {
      cache.set(url, false);
      return false;
    }
    throw err;
  } finally {
    await probe.end().catch(() => {});
  }
}

export async function teamConnectionConfig(url: string, extra: pg.ClientConfig = {}): Promise<pg.ClientConfig> {
  const base: pg.ClientConfig = { connectionString: url, ...extra };
  if (hasSslMode(url)) return base;
  const tls = await serverOffersTls(url, typeof extra.password === 'string' ? extra.password : undefined);
  return tls ? { ...base, ssl: { rejectUnauthorized: false } } : base;
}

/** A connected client for one command (init, ingest, verify, inbox). */
export async function teamClient(url: string, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client(await teamConnectionConfig(url, { application_name: applicationName }));
  await client.connect();
  return client;
}
