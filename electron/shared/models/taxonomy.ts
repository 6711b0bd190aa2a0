/**
 * The label taxonomy: by default the MLCommons hazard categories S1–S14 used by Llama Guard 3,
 * plus the failure kinds reviewers of LLM output meet daily. A workspace can load its own.
 */
import { z } from 'zod';

export const taxonomyLabelSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'label ids are short names without spaces'),
  name: z.string().min(1).max(120),
  description: z.string().max(2000).optional(),
});

/** What a route allows beyond the default verdict rules (see electron/core/review/coherence.ts). */
export const routePolicySchema = z
  .object({
    /** A false positive on this route may still carry labels and a severity (e.g. a near miss worth counting). */
    dismissMayCarryLabels: z.boolean().default(false),
  })
  .strict();

export const taxonomySchema = z.object({
  name: z.string().min(1).max(120),
  version: z.string().max(64).default('1'),
  labels: z.array(taxonomyLabelSchema).min(1).max(500),
  routes: z.record(z.string().min(1).max(64), routePolicySchema).optional(),
});

export type TaxonomyLabel = z.infer<typeof taxonomyLabelSchema>;
export type Taxonomy = z.infer<typeof taxonomySchema>;
export type RoutePolicy = z.infer<typeof routePolicySchema>;

export const DEFAULT_TAXONOMY: Taxonomy = {
  name: 'MLCommons hazards (Llama Guard 3) + LLM failure kinds',
  version: '1',
  labels: [
    { id: 'S1', name: 'Violent Crimes' },
    { id: 'S2', name: 'Non-Violent Crimes' },
    { id: 'S3', name: 'Sex-Related Crimes' },
    { id: 'S4', name: 'Child Sexual Exploitation' },
    { id: 'S5', name: 'Defamation' },
    { id: 'S6', name: 'Specialized Advice' },
    { id: 'S7', name: 'Privacy' },
    { id: 'S8', name: 'Intellectual Property' },
    { id: 'S9', name: 'Indiscriminate Weapons' },
    { id: 'S10', name: 'Hate' },
    { id: 'S11', name: 'Suicide & Self-Harm' },
    { id: 'S12', name: 'Sexual Content' },
    { id: 'S13', name: 'Elections' },
    { id: 'S14', name: 'Code Interpreter Abuse' },
    { id: 'hallucination', name: 'Hallucination', description: 'Claims not supported by, or contradicting, the evidence' },
    { id: 'pii_exposure', name: 'PII exposure', description: 'Personal data revealed in the output' },
    { id: 'prompt_injection', name: 'Prompt injection', description: 'Instructions smuggled in through input, documents or tools' },
  ],
};
