/** Export form: redaction and the audited override for PII-flagged items. */
import { Alert, Switch, Text } from '@mantine/core';
import { Section } from './FormSection.tsx';
import { useExportForm } from './store.ts';
import classes from './Export.module.css';

export function PrivacySection() {
  const draft = useExportForm((s) => s.draft);
  const edit = useExportForm((s) => s.edit);
  return (
    <Section title="Privacy">
      <div className={classes.toggles}>
        <Switch
          size="xs"
          checked={draft.redact}
          onChange={(e) => edit({ redact: e.currentTarget.checked })}
          label="Redact PII in every exported text"
          description="Detected PII and spans flagged as PII are replaced with typed placeholders such as [EMAIL]."
          data-testid="export-redact"
        />
        {!draft.redact && (
          <Alert color="orange" variant="light" p="xs" data-testid="export-redact-warning">
            <Text size="xs">
              <b>Redaction is off.</b> Personal data in inputs, outputs and corrections will be written to the dataset as it is. Items
              flagged for PII block the export unless you also allow unredacted items below.
            </Text>
          </Alert>
        )}
        <Switch
          size="xs"
          color="orange"
          checked={draft.allowUnredacted}
          onChange={(e) => edit({ allowUnredacted: e.currentTarget.checked })}
          label="Allow unredacted PII-flagged items"
          description="Export even though items flagged for PII have no violation or dismiss verdict yet, or would leave unredacted."
          data-testid="export-allow-unredacted"
        />
        {draft.allowUnredacted && (
          <Alert color="yellow" variant="light" p="xs" data-testid="export-allow-warning">
            <Text size="xs">
              <b>Audited.</b> The export records how many PII-flagged items were unresolved or left unredacted, and that you allowed it, in
              the workspace’s audit log.
            </Text>
          </Alert>
        )}
      </div>
    </Section>
  );
}
