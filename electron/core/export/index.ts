/** The retraining dataset export (issue 4): public API. */
export { exportDataset, type ExportSummary } from './export.ts';
export { verifyExport, type VerifyExportOptions, type VerifyExportResult } from './verify.ts';
export {
  DEFAULT_DECISIONS,
  DEFAULT_SEED,
  DEFAULT_SPLIT,
  EXPORT_DECISIONS,
  EXPORT_FORMATS,
  OUTPUT_KINDS,
  SPLITS,
  type ExportDecision,
  type ExportFilters,
  type ExportFormat,
  type ExportOptions,
  type ExportProgress,
  type OutputKind,
  type SplitName,
} from './options.ts';
export { groupKey, splitFor, splitPosition } from './split.ts';
export type { Manifest, ManifestContent } from './manifest.ts';
