/**
 * The left column of the export screen: what to export and how. Each section reads the draft
 * from the export store itself, so the form is only their order inside one fieldset (which
 * disables every input while an export runs).
 */
import { CardSection } from './CardSection.tsx';
import { FormatSection } from './FormatSection.tsx';
import type { DraftErrors } from './model.ts';
import { PrivacySection } from './PrivacySection.tsx';
import { SelectionSection } from './SelectionSection.tsx';
import { SplitSection } from './SplitSection.tsx';
import classes from './Export.module.css';

export function ExportForm({ errors, disabled }: { errors: DraftErrors; disabled: boolean }) {
  return (
    <fieldset className={classes.form} disabled={disabled} data-testid="export-form">
      <FormatSection errors={errors} disabled={disabled} />
      <SelectionSection errors={errors} />
      <SplitSection errors={errors} />
      <PrivacySection />
      <CardSection errors={errors} />
    </fieldset>
  );
}
