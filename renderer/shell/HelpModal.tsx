import { Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useUi } from '../state/ui.ts';
import { KeyHint } from './KeyHint.tsx';
import { SHORTCUT_GROUPS } from './shortcuts.ts';
import classes from './HelpModal.module.css';

/** The `?` cheat sheet. */
export function HelpModal() {
  const open = useUi((s) => s.helpOpen);
  const setOpen = useUi((s) => s.setHelpOpen);
  return (
    <Modal opened={open} onClose={() => setOpen(false)} title="Keyboard shortcuts" size={760} closeButtonProps={{ 'aria-label': 'Close the cheat sheet' }}>
      <div data-testid="help-modal">
        <Text size="sm" c="dimmed" mb="md">
          Single keys work whenever you are not typing in a field. Press Esc to leave a field; {SHORTCUT_GROUPS[2]!.items.find((i) => i.keys.includes('Enter'))!.keys.join('+')} works
          everywhere.
        </Text>
        <SimpleGrid cols={2} spacing="xl" verticalSpacing="lg">
          {SHORTCUT_GROUPS.map((g) => (
            <Stack key={g.title} gap={6}>
              <div className="section-label">{g.title}</div>
              {g.items.map((s) => (
                <div key={s.label} className={classes.row}>
                  <span className={classes.label}>{s.label}</span>
                  <KeyHint keys={s.keys} sequence={s.sequence} />
                </div>
              ))}
            </Stack>
          ))}
        </SimpleGrid>
      </div>
    </Modal>
  );
}
