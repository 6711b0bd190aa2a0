/**
 * A TCP relay in front of the team database, so a test can drop "the network" (every
 * connection cut, the port closed) and bring it back on the same port, while PostgreSQL itself
 * keeps running and keeps its leases' clock.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Relay {
  port: number;
  /** Cuts every open connection and closes the port: connects are refused until restore(). */
  cut(): Promise<void>;
  restore(): Promise<void>;
  /**
   * A silent drop (a cable pulled, Wi-Fi gone): open connections stay open but nothing passes
   * either way, and new connections are accepted and never answered. Undo with unstall().
   */
  stall(): void;
  unstall(): void;
  close(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  let stalled = false;
  const held = new Set<Socket>();
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        if (stalled) {
          held.add(client);
          client.on('error', () => client.destroy());
          return;
        }
        const upstream = connect(targetPort, '127.0.0.1');
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        // Data is dropped while stalled (no RST, no FIN: the peers just hear nothing).
        client.on('data', (b: Buffer) => void (stalled || upstream.write(b)));
        upstream.on('data', (b: Buffer) => void (stalled || client.write(b)));
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of held) s.destroy();
      held.clear();
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await listen();
  return {
    port,
    cut: stop,
    restore: listen,
    stall: () => void (stalled = true),
    unstall: () => {
      stalled = false;
      // Connections opened during the stall were never answered: their clients have given up.
      for (const s of held) s.destroy();
      held.clear();
    },
    close: stop,
  };
}
