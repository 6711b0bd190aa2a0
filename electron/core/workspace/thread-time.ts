/**
 * The calling thread's own clock from the kernel (/proc/thread-self/schedstat, Linux): time on a
 * CPU and time spent runnable but waiting for one. Wall time minus both is time blocked (disk,
 * sleep, a lock). On a shared machine this says how much of a slow step was the step and how
 * much was other processes. Null where the file does not exist.
 */
import { readFileSync } from 'node:fs';

export interface ThreadTime {
  cpuMs: number;
  runQueueMs: number;
}

let available = process.platform === 'linux';

export function threadTime(): ThreadTime | null {
  if (!available) return null;
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ');
    return { cpuMs: Number(cpu) / 1e6, runQueueMs: Number(wait) / 1e6 };
  } catch {
    available = false;
    return null;
  }
}
