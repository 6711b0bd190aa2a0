/** The escalation record schema is a model type shared by UI and backend: electron/shared/models/record.ts. */
export * from '../../shared/models/record.ts';
