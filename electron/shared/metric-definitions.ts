/**
 * What each oversight metric means, in words: shown by the dashboard, printed in the report and
 * mirrored in docs/metrics.md. The SQL that computes them is migration 0006 and db/queries/metrics.ts.
 */
export const METRIC_DEFINITIONS: Record<string, { label: string; definition: string }> = {
  items: { label: 'Escalations', definition: 'Items created (the source flagged them) in the range, by their created_at UTC day.' },
  violation_rate: {
    label: 'Violation rate',
    definition: 'Items whose verdict in force is "violation" ÷ reviewed items (verdict in force "violation" or "dismiss").',
  },
  false_positive_rate: {
    label: 'False-positive rate',
    definition: 'Reviewed items whose verdict in force is "dismiss" ÷ reviewed items (the whole escalation was unfounded). Per detector, policy or category: see "False positives per detector, policy, category".',
  },
  flag_false_positive_rate: {
    label: 'False positives per detector, policy, category',
    definition:
      'For each detector, policy or category value: false positives ÷ reviewed items (verdict in force "violation" or "dismiss") with a call on that value, one call per item and value. When the verdict in force carries per-flag calls, each called flag of the judged revision counts under its own detector, policy and category; the value is a false positive when the reviewer rejected every called flag carrying it, and flags left uncalled do not count. When the verdict in force has no per-flag calls, only the item\'s top flag (highest score) counts, as a false positive when the item was dismissed and confirmed when it was a violation. The panel shows how many calls came from per-flag calls. 95 % Wilson interval.',
  },
  hallucination_rate: {
    label: 'Hallucination rate',
    definition: 'Confirmed violations labelled "hallucination" (or whose top flag category is "hallucination") ÷ reviewed items.',
  },
  pii_exposures: {
    label: 'PII exposures confirmed',
    definition: 'Confirmed violations labelled "pii_exposure" (or whose top flag category is "pii").',
  },
  escalation_per_1000: {
    label: 'Escalations per 1,000 screened',
    definition: 'Escalations × 1,000 ÷ screened events reported by the sources for the same days (and model/version when filtered). Not shown without volumes.',
  },
  expert_escalation_rate: {
    label: 'Expert escalation rate',
    definition: 'Items whose verdict in force is "escalate" (sent to an expert route) ÷ decided items (violation, dismiss or escalate): the per-reviewed-item rate.',
  },
  overturn_rate: {
    label: 'Overturn rate',
    definition: 'Reviewed items whose verdict in force is an amendment by a different reviewer (an expert or lead) that turned the first decision (violation/dismiss) into the other ÷ reviewed items.',
  },
  audit_completeness: {
    label: 'Audit completeness',
    definition: 'Items whose provenance carries trace_id, span_id, gen_ai.request.model and model_version ÷ escalations.',
  },
  agreement: {
    label: 'Agreement (overlap)',
    definition: 'Items decided independently (verdicts, not amendments) by two or more reviewers whose violation/dismiss decisions all agree ÷ such items.',
  },
  sla_breaches: {
    label: 'Decided past SLA',
    definition: 'Items whose first decision came later after creation than the SLA of their priority: critical 1 h, high 4 h, normal 24 h, low 72 h.',
  },
  backlog_open: { label: 'Open in range', definition: 'Items created in the range with no verdict in force (undecided, skipped or undone).' },
  time_to_decision: {
    label: 'Time to decision',
    definition: 'From created_at to the first decision that was not undone; p50/p95 reported as the upper bound of a histogram bucket (5 min … 7 days).',
  },
  throughput: {
    label: 'Reviewer throughput',
    definition: 'Decisions recorded per reviewer (by decision day), and time per item: the mean gap since the same reviewer\'s previous decision, gaps over 30 min left out as breaks.',
  },
  model_comparison: {
    label: 'Model versions compared',
    definition: 'Violation rate per model and model_version with a 95 % Wilson interval; a version is flagged in a category when its rate is above the model\'s baseline version (most reviewed items) with a two-proportion z ≥ 2.58.',
  },
  deployment_comparison: {
    label: 'Deployments compared',
    definition: 'Violation rate per deployment (provenance.deployment) with a 95 % Wilson interval; a deployment is flagged in a category when its rate is above that of all other deployments pooled with a two-proportion z ≥ 2.58 (a canary that regresses). Items without a deployment are in no comparison.',
  },
};
