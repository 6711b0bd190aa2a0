/**
 * Prints the per-entity precision / recall table of the built-in PII detector on the synthetic set.
 *   npx tsx test/pii/report.ts [--errors]
 */
import { buildDataset } from './dataset.ts';
import { evaluate, formatTable } from './evaluate.ts';

const cases = buildDataset();
const ev = evaluate(cases);
const negatives = cases.filter((c) => c.kind === 'negative').length;
console.log(`PII detector evaluation: ${cases.length} cases (${cases.length - negatives} with PII, ${negatives} look-alike negatives)\n`);
console.log(formatTable(ev));
if (process.argv.includes('--errors') || ev.errors.length <= 20) {
  if (ev.errors.length > 0) console.log(`\n${ev.errors.length} case(s) with errors:`);
  for (const e of ev.errors) {
    console.log(`- ${e.id}: ${JSON.stringify(e.text)}`);
    for (const m of e.missed) console.log(`    missed   ${m.type} [${m.start},${m.end}) ${JSON.stringify(m.value)}`);
    for (const s of e.spurious) console.log(`    spurious ${s.type} [${s.start},${s.end}) ${JSON.stringify(s.value)}`);
  }
} else {
  console.log(`\n${ev.errors.length} case(s) with errors (run with --errors to list them)`);
}
