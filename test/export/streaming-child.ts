/**
 * Child process for the streaming test: exports a workspace under a hard heap cap and reports
 * the peak heap it saw. Run: node --max-old-space-size=N --import tsx streaming-child.ts WS OUT
 */
import { exportDataset } from '../../electron/core/export/index.ts';
import { openWorkspace } from '../../electron/core/workspace/open.ts';

const [workspace, out] = process.argv.slice(2);
const ws = openWorkspace(workspace!, { create: false });
const baseline = process.memoryUsage().heapUsed;
let peak = baseline;
let samples = 0;
const s = await exportDataset(ws, {
  format: 'trl-dpo',
  out: out!,
  threads: 0,
  onProgress: () => {
    samples++;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  },
});
ws.close();
process.stdout.write(
  `${JSON.stringify({
    rows: s.rows,
    bytes: s.files.reduce((n, f) => n + f.bytes, 0),
    jsonlBytes: s.files.filter((f) => f.path.endsWith('.jsonl') && f.path.startsWith('data/')).reduce((n, f) => n + f.bytes, 0),
    baselineMb: baseline / 1e6,
    peakHeapMb: peak / 1e6,
    samples,
    rssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
