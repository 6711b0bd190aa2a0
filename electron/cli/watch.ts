/** `--watch`: runs `pull` when the file or folder changes and every `intervalSeconds`, one run at a time, until Ctrl+C. */
import { watch } from 'node:fs';

export async function watchAndPull(path: string, intervalSeconds: number, pull: () => Promise<void>): Promise<void> {
  process.stderr.write(`watching ${path} for new lines and files (Ctrl+C to stop)\n`);
  let busy = false;
  let again = false;
  const run = async () => {
    if (busy) return void (again = true);
    busy = true;
    try {
      do {
        again = false;
        await pull();
      } while (again);
    } finally {
      busy = false;
    }
  };
  const watcher = watch(path, () => void run());
  const timer = setInterval(() => void run(), intervalSeconds * 1000);
  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher.close();
      clearInterval(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
