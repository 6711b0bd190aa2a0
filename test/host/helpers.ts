/** A real browser-mode host over a real database worker on a temporary demo workspace. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../electron/host/server.ts';
import { WorkerClient } from '../../electron/host/worker-client.ts';
import { tempDir } from '../helpers/workspace.ts';

const WORKER = new URL('../../electron/host/db-worker-entry.mjs', import.meta.url);

export interface TestHost {
  host: RunningHost;
  client: WorkerClient;
  dir: string;
  logged: string[];
  close(): Promise<void>;
}

export async function startTestHost(demo = 20): Promise<TestHost> {
  const t = tempDir('verdict-host-');
  const client = await WorkerClient.start(WORKER, { workspacePath: join(t.dir, 'w.sqlite'), mode: 'browser', demoIfNew: demo });
  const staticDir = join(t.dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(staticDir, 'app.js'), 'console.log(1)');
  const logged: string[] = [];
  const host = await startHost({
    backend: { call: (m, i) => client.call(m, i), onEvent: (l) => client.onEvent(l) },
    staticDir,
    log: (m) => logged.push(m),
  });
  return {
    host,
    client,
    dir: t.dir,
    logged,
    close: async () => {
      await host.close();
      await client.close();
      t.cleanup();
    },
  };
}

/**
 * Writes raw bytes to the host and collects what comes back until the server closes the
 * connection or `idleMs` passes without data. Returns the status code of the first response
 * (null if the server answered nothing) and whether the server closed the connection.
 */
export function rawRequest(port: number, bytes: Buffer | string, idleMs = 300): Promise<{ status: number | null; closed: boolean; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    let timer: NodeJS.Timeout;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, closed, text });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    };
    socket.on('connect', () => {
      socket.write(bytes, () => arm());
    });
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      arm();
    });
    socket.on('end', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => {
      closed = true;
      finish();
    });
    arm();
  });
}
