import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api.ts';
import { errorMessage } from '../lib/format.ts';
import { useUi } from '../state/ui.ts';

/** Shows the full URL of a link from content; opens it only when the reviewer confirms. */
export function LinkConfirmModal() {
  const url = useUi((s) => s.pendingLink);
  const setPendingLink = useUi((s) => s.setPendingLink);
  const [result, setResult] = useState<{ url: string; message: string; ok: boolean } | null>(null);
  const close = () => {
    setPendingLink(null);
    setResult(null);
  };
  const open = async () => {
    if (!url) return;
    try {
      const r = await call('app.openExternal', { url });
      if (r.opened) close();
      else setResult({ url, ok: false, message: 'This window cannot open links itself (browser mode). Copy the URL and open it yourself if you trust it.' });
    } catch (err) {
      setResult({ url, ok: false, message: errorMessage(err) });
    }
  };
  const shownResult = result && result.url === url ? result : null;
  return (
    <Modal opened={url !== null} onClose={close} title="Open a link from the content?" size="lg" closeButtonProps={{ 'aria-label': 'Close without opening' }}>
      <Stack gap="sm" data-testid="link-modal">
        <Text size="sm" c="dimmed">
          This link comes from the reviewed content and may be hostile. Check the full address before opening it.
        </Text>
        <Code block data-testid="link-modal-url" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {url ?? ''}
        </Code>
        {shownResult && (
          <Alert color="yellow" variant="light" data-testid="link-modal-result">
            {shownResult.message}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <CopyButton value={url ?? ''}>
            {({ copied, copy }) => (
              <Button variant="default" size="xs" onClick={copy}>
                {copied ? 'Copied' : 'Copy URL'}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" size="xs" onClick={close}>
            Cancel
          </Button>
          <Button size="xs" color="red" variant="light" onClick={() => void open()} data-testid="link-modal-open">
            Open in browser
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
