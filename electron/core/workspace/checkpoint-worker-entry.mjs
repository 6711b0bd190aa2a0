// checkpoint-worker bootstrap when running from source: load TypeScript through tsx first.
import { register } from 'tsx/esm/api';

register();
await import('./checkpoint-worker.ts');
