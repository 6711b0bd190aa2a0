// Worker bootstrap when running from source: load TypeScript through tsx, then the worker.
import { register } from 'tsx/esm/api';

register();
await import('./db-worker.ts');
