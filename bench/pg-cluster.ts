/**
 * A throwaway PostgreSQL cluster in a temporary directory on a free port, for tests and the team
 * bench. PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/verdict (superuser, trust auth on 127.0.0.1). */
  url: string;
  port: number;
  dir: string;
  /** A URL for another login role on the same database. */
  urlFor(user: string, password?: string): string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** CPU milliseconds (user + system) used so far by each live server process (postmaster and children). */
  serverCpuMs(): Map<number, number>;
  /** What a server process is (its title: "client backend", "autovacuum worker", "walwriter", ...). */
  processKind(pid: number): string;
  adminPool: pg.Pool;
}

export interface ClusterOptions {
  /** Extra server settings (-c name=value). Tests pass fsync=off; the bench keeps the defaults. */
  settings?: Record<string, string>;
  /** Serve TLS with a fresh self-signed certificate for CN=localhost (server.crt in the cluster dir). */
  tls?: boolean;
}

export function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('PostgreSQL is not installed: apt-get install postgresql (needs /usr/lib/postgresql/*/bin)');
  return join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function run(bin: string, args: string[]): void {
  const cmd = isRoot() ? 'runuser' : bin;
  const argv = isRoot() ? ['-u', 'postgres', '--', bin, ...args] : args;
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function startCluster(options: ClusterOptions = {}): Promise<PgCluster> {
  const bin = pgBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'verdict-pg-'));
  const data = join(dir, 'data');
  if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const tls: Record<string, string> = {};
  if (options.tls) {
    const key = join(dir, 'server.key');
    const crt = join(dir, 'server.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-subj', '/CN=localhost', '-days', '2'], { stdio: 'ignore' });
    chmodSync(key, 0o600);
    if (isRoot()) execFileSync('chown', ['postgres:postgres', key, crt]);
    Object.assign(tls, { ssl: 'on', ssl_cert_file: crt, ssl_key_file: key });
  }
  const settings = { max_connections: '200', ...tls, ...options.settings };
  const opts = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  const log = join(dir, 'server.log');
  const start = () => run(join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', log, '-w', '-t', '60', 'start']);
  start();
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const boot = new pg.Client({ connectionString: `${base}/postgres` });
  await boot.connect();
  await boot.query('CREATE DATABASE verdict');
  await boot.end();
  const url = `${base}/verdict`;
  // A test whose hooks time out (or a bench that crashes) must not leave a server running.
  const stopOnExit = () => {
    try {
      run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);
  const adminPool = new pg.Pool({ connectionString: url, max: 4 });
  // A restart drops pooled connections; their errors must not crash the test process.
  adminPool.on('error', () => {});
  let stopped = false;
  return {
    url,
    port,
    dir,
    urlFor: (user, password) =>
      `postgres://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/verdict`,
    adminPool,
    serverCpuMs() {
      const pm = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const tick = 1000 / 100; // USER_HZ is 100 on Linux
      const total = new Map<number, number>();
      for (const pid of readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        let stat: string;
        try {
          stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        } catch {
          continue;
        }
        // Fields after the ")" of the command name: state ppid ... utime(14) stime(15), 1-based from pid.
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(pid) === pm || Number(f[1]) === pm) total.set(Number(pid), (Number(f[11]) + Number(f[12])) * tick);
      }
      return total;
    },
    processKind(pid) {
      if (pid === Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])) return 'postmaster';
      let title: string;
      try {
        title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        return 'gone';
      }
      // "postgres: walwriter", "postgres: autovacuum worker verdict", "postgres: bench1 verdict 127.0.0.1(5) idle"
      const m = /^postgres: (checkpointer|background writer|walwriter|autovacuum launcher|autovacuum worker|logical replication launcher|startup)/.exec(title);
      if (m) return m[1]!;
      const who = /^postgres: (\S+) /.exec(title)?.[1] ?? '?';
      return who === 'postgres' ? 'admin backend' : 'client backend';
    },
    async restart() {
      run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', stopOnExit);
      await adminPool.end().catch(() => {});
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
