/** The label taxonomy is a model type shared by UI and backend: electron/shared/models/taxonomy.ts. */
export * from '../../shared/models/taxonomy.ts';
