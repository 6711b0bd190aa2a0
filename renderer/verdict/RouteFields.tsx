/**
 * The structured fields the item's route asks for (taxonomy routes.<route>.fields): a clinical
 * route the dose stated, the guideline cited, the harm likelihood; a legal one the jurisdiction.
 * Plain inputs and selects, so Tab reaches each; the core checks them again.
 */
import { Select, TextInput } from '@mantine/core';
import type { RouteField } from '../../electron/shared/contract.ts';
import { Shown } from '../lib/Shown.tsx';
import { editDraft } from './actions.ts';
import classes from './Verdict.module.css';

export function RouteFields({ itemId, route, fields, values }: { itemId: string; route: string; fields: RouteField[]; values: Record<string, string> }) {
  if (fields.length === 0) return null;
  const set = (id: string, v: string | null) => {
    const next = { ...values };
    if (v === null || v === '') delete next[id];
    else next[id] = v;
    editDraft(itemId, { routeFields: next });
  };
  return (
    <div className={classes.block} data-testid="route-fields">
      <div className="section-label">
        <Shown text={route} /> fields
      </div>
      <div className={classes.routeFields}>
        {fields.map((f) =>
          f.kind === 'choice' ? (
            <Select
              key={f.id}
              id={`route-field-${f.id}`}
              data-testid={`route-field-${f.id}`}
              size="xs"
              label={f.name}
              description={f.description}
              placeholder="Choose…"
              data={f.options ?? []}
              value={values[f.id] ?? null}
              onChange={(v) => set(f.id, v)}
              clearable
              comboboxProps={{ withinPortal: true }}
            />
          ) : (
            <TextInput
              key={f.id}
              id={`route-field-${f.id}`}
              data-testid={`route-field-${f.id}`}
              size="xs"
              label={f.name}
              description={f.description}
              value={values[f.id] ?? ''}
              onChange={(e) => set(f.id, e.currentTarget.value)}
              spellCheck={false}
            />
          ),
        )}
      </div>
    </div>
  );
}
