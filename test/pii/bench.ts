/**
 * Throughput of `redactText` on short (~2 KB) chat-like texts, one core.
 *   npx tsx test/pii/bench.ts [count] [chat|logs]
 */
import { detectPii } from '../../electron/core/export/pii/detect.ts';
import { redactText } from '../../electron/core/export/pii/redact.ts';
import { buildDataset, mulberry32 } from './dataset.ts';

const COUNT = Number(process.argv[2] ?? 100_000);
const TARGET_BYTES = 2048;
/** `chat` (default): prose with ~1 PII sentence per text; `logs`: number-dense JSON log lines. */
const PROFILE = process.argv[3] === 'logs' ? 'logs' : 'chat';

const PROSE = [
  'The assistant was asked to summarise the quarterly report and produced a response that cited 3 sources.',
  'Reviewer note: the model refused correctly at turn 4, but the follow-up at turn 6 leaked internal policy text.',
  'On 2024-03-18 the user uploaded a CSV with 1,204 rows; the tool call returned status 200 after 350 ms.',
  'Version 2.14.0 of the classifier flagged this with score 0.87 under category "self-harm/instructions".',
  'User: can you help me write a cover letter for a junior data analyst role? I have 2 years of experience.',
  'Assistant: Sure! Here is a draft you can adapt. Dear Hiring Manager, I am excited to apply for the role...',
  '```python\nfor i in range(10):\n    total += weights[i] * 0.5\nprint(f"{total:.3f}")\n```',
  'The order ORD-2024-000123 was shipped on 12/03/2024 and costs $1,299.99 including shipping.',
  'Latency p95 went from 420ms to 1.2s after deploy 7f3c2a1; rollback completed at 14:32:10 UTC.',
  'Ceci est un message en français avec des accents: é, è, à — et quelques emoji 🙂🚀 pour tester.',
  'これは日本語のテキストです。モデルの出力を確認してください。',
  'Policy P-17 applies when the request involves medical dosage; see section 4.2.1 of the handbook.',
];

/** Number-dense log lines: timestamps, ids, hashes, latencies, versions and the odd IP. */
function logLine(rng: () => number, i: number): string {
  const ts = `2024-06-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:07.${String(i % 1000).padStart(3, '0')}Z`;
  const ip = rng() < 0.2 ? `, "client": "10.${i % 256}.${(i * 7) % 256}.${(i * 13) % 254 + 1}"` : '';
  return `{"ts": "${ts}", "req": "${(i * 2654435761 >>> 0).toString(16)}-${i}", "status": ${200 + (i % 5)}, "ms": ${(i * 37) % 2000}.${i % 10}, "v": "2.${i % 30}.${i % 7}"${ip}}`;
}

function makeTexts(n: number): string[] {
  const rng = mulberry32(42);
  if (PROFILE === 'logs') {
    const out: string[] = [];
    let k = 0;
    for (let i = 0; i < n; i++) {
      let t = '';
      while (t.length < TARGET_BYTES) t += logLine(rng, k++) + '\n';
      out.push(t);
    }
    return out;
  }
  const pii = buildDataset().filter((c) => c.kind !== 'negative').map((c) => c.text);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let t = '';
    while (t.length < TARGET_BYTES) {
      // About one PII-bearing sentence per ~2 KB text on average.
      t += (rng() < 0.06 ? pii[Math.floor(rng() * pii.length)]! : PROSE[Math.floor(rng() * PROSE.length)]!) + ' ';
    }
    out.push(t);
  }
  return out;
}

const POOL = 2000; // distinct texts, cycled (keeps memory small while defeating trivial caching)
const texts = makeTexts(POOL);
const avgLen = texts.reduce((a, t) => a + t.length, 0) / texts.length;

function run(label: string, fn: (t: string) => unknown): void {
  for (let i = 0; i < 5000; i++) fn(texts[i % POOL]!); // warm-up
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < COUNT; i++) {
    const r = fn(texts[i % POOL]!);
    if (r) sink++;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const perSec = COUNT / secs;
  console.log(
    `${label.padEnd(12)} ${COUNT} texts (avg ${avgLen.toFixed(0)} chars) in ${secs.toFixed(2)} s -> ` +
      `${Math.round(perSec).toLocaleString('en-US')} texts/s, ${((perSec * avgLen) / 1e6).toFixed(1)} MB/s (${sink})`,
  );
}

let redactions = 0;
for (const t of texts) redactions += redactText(t).replaced;
console.log(`profile ${PROFILE}: pool of ${POOL} texts, ${redactions} placeholders in total`);
run('detectPii', (t) => detectPii(t));
run('redactText', (t) => redactText(t));
