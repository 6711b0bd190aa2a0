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

/**
 * A structured field a route asks its reviewers for (a clinical route: the guideline cited, the
 * harm likelihood; a legal one: the jurisdiction). `choice` offers `options`; `text` is free.
 */
export const routeFieldSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'field ids are lower-case names with underscores'),
    name: z.string().min(1).max(120),
    kind: z.enum(['text', 'choice']),
    options: z.array(z.string().min(1).max(120)).max(50).optional(),
    description: z.string().max(2000).optional(),
  })
  .strict()
  .refine((f) => f.kind !== 'choice' || (f.options?.length ?? 0) > 0, { message: 'a choice field needs options', path: ['options'] });

/** What a route allows beyond the default verdict rules (see electron/core/review/coherence.ts), and its own taxonomy. */
export const routePolicySchema = z
  .object({
    /** A false positive on this route may still carry labels and a severity (e.g. a near miss worth counting). */
    dismissMayCarryLabels: z.boolean().default(false),
    /**
     * The labels the form offers on this route, in key order: a workspace label by its id, or a
     * label of the route's own. Absent: the workspace labels. A verdict on the route may carry only these.
     */
    labels: z.array(z.union([z.string().min(1).max(64), taxonomyLabelSchema])).min(1).max(500).optional(),
    /** Structured fields the verdict form asks for on this route. */
    fields: z.array(routeFieldSchema).max(20).optional(),
  })
  .strict();

export const taxonomySchema = z
  .object({
    name: z.string().min(1).max(120),
    version: z.string().max(64).default('1'),
    labels: z.array(taxonomyLabelSchema).min(1).max(500),
    routes: z.record(z.string().min(1).max(64), routePolicySchema).optional(),
  })
  .superRefine((t, ctx) => {
    const ids = new Set(t.labels.map((l) => l.id));
    for (const [route, p] of Object.entries(t.routes ?? {})) {
      p.labels?.forEach((l, i) => {
        if (typeof l === 'string' && !ids.has(l)) ctx.addIssue({ code: 'custom', message: `route ${route} names label ${l}, which the taxonomy's labels do not have`, path: ['routes', route, 'labels', i] });
      });
    }
  });

/** The labels a route offers: its own list (ids resolved against the workspace labels), else the workspace labels. */
export function routeLabels(t: Pick<Taxonomy, 'labels' | 'routes'>, route: string): TaxonomyLabel[] {
  const own = t.routes?.[route]?.labels;
  if (!own) return t.labels;
  return own.map((l) => (typeof l === 'string' ? t.labels.find((x) => x.id === l) ?? { id: l, name: l } : l));
}

export function routeFields(t: Pick<Taxonomy, 'routes'> | null | undefined, route: string): RouteField[] {
  return t?.routes?.[route]?.fields ?? [];
}

export type TaxonomyLabel = z.infer<typeof taxonomyLabelSchema>;
export type Taxonomy = z.infer<typeof taxonomySchema>;
export type RoutePolicy = z.infer<typeof routePolicySchema>;
export type RouteField = z.infer<typeof routeFieldSchema>;

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
  // Expert routes ask for the facts their reviewers record; the labels stay the workspace's.
  routes: {
    clinical: {
      dismissMayCarryLabels: false,
      fields: [
        { id: 'dose_stated', name: 'Dose stated', kind: 'text', description: 'The dose, route and frequency the output gives, as written' },
        { id: 'guideline_cited', name: 'Guideline cited', kind: 'text', description: 'The guideline or label the correction rests on' },
        { id: 'harm_likelihood', name: 'Harm likelihood', kind: 'choice', options: ['unlikely', 'possible', 'likely', 'certain'] },
      ],
    },
    legal: {
      dismissMayCarryLabels: false,
      fields: [
        { id: 'jurisdiction', name: 'Jurisdiction', kind: 'text', description: 'Where the advice would apply, e.g. US-CA, EU, UK' },
        { id: 'authority_cited', name: 'Authority cited', kind: 'text', description: 'The statute, rule or case the correction rests on' },
      ],
    },
  },
};
