/** Sources (where escalations are read from) as the UI and the CLI see them. */
export interface SourceRow {
  id: string;
  kind: 'jsonl' | 'postgres' | 'stdin' | 'import';
  name: string;
  uri: string;
  preset: string | null;
  mapping: string | null;
  createdAt: string;
}

export interface SourceFileRow {
  id: string;
  sourceId: string;
  path: string;
  size: number;
  offset: number;
  lines: number;
  prefixSha256: string;
  tailSha256: string;
  updatedAt: string;
}
