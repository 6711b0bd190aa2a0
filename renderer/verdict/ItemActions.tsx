/**
 * Hold (reason + review-by), reopen (reason), mark gold and consult note for the selected item:
 * each opens a small form; every action is audited in the core.
 */
import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api.ts';
import type { ItemView } from '../../electron/shared/contract.ts';
import { errorMessage } from '../lib/format.ts';
import { refreshItem } from '../item/queries.ts';

type Form = 'hold' | 'reopen' | 'gold' | 'consult' | null;

const inTwoDays = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 16);

export function ItemActions({ view }: { view: ItemView }) {
  const [form, setForm] = useState<Form>(null);
  const [reason, setReason] = useState('');
  const [reviewBy, setReviewBy] = useState(inTwoDays());
  const [decision, setDecision] = useState<'violation' | 'dismiss'>('violation');
  const [labels, setLabels] = useState('');
  const [error, setError] = useState<string | null>(null);
  const status = view.item.status;
  const id = view.item.id;
  const open = (f: Form) => {
    setReason('');
    setError(null);
    setReviewBy(inTwoDays());
    if (f === 'gold' && view.current && (view.current.decision === 'violation' || view.current.decision === 'dismiss')) {
      setDecision(view.current.decision);
      setLabels(view.current.labels.join(', '));
    }
    setForm(f);
  };
  const run = async () => {
    setError(null);
    try {
      if (form === 'hold') await call('item.hold', { itemId: id, reason, reviewBy: new Date(reviewBy).toISOString() });
      else if (form === 'reopen') await call('item.reopen', { itemId: id, reason });
      else if (form === 'consult') await call('item.consult', { itemId: id, note: reason });
      else if (form === 'gold')
        await call('gold.mark', { itemId: id, decision, labels: labels.split(',').map((s) => s.trim()).filter(Boolean) });
      setForm(null);
      refreshItem(id);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <>
      <Group gap={4} data-testid="item-actions">
        {status === 'on_hold' ? (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void call('item.release', { itemId: id }).then(() => refreshItem(id), (e: unknown) => setError(errorMessage(e)))} data-testid="action-release">
            Release hold
          </Button>
        ) : (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => open('hold')} data-testid="action-hold">
            Hold…
          </Button>
        )}
        {(status === 'decided' || status === 'escalated') && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => open('reopen')} data-testid="action-reopen">
            Reopen…
          </Button>
        )}
        <Button size="compact-xs" variant="subtle" color="gray" onClick={() => open('gold')} data-testid="action-gold">
          Mark gold…
        </Button>
        <Button size="compact-xs" variant="subtle" color="gray" onClick={() => open('consult')} data-testid="action-consult">
          Consult note…
        </Button>
      </Group>
      <Modal opened={form !== null} onClose={() => setForm(null)} title={form === 'hold' ? 'Put on hold' : form === 'reopen' ? 'Reopen the decision' : form === 'gold' ? 'Mark as gold' : 'Consult note'} size="sm">
        <Stack gap="xs" data-testid={`form-${form ?? ''}`}>
          {form === 'gold' ? (
            <>
              <Text size="xs" c="dimmed">
                The known-correct verdict. Reviewers are measured against it; it is never exported as a label.
              </Text>
              <SegmentedControl size="xs" value={decision} onChange={(v) => setDecision(v as 'violation' | 'dismiss')} data={['violation', 'dismiss']} data-testid="gold-decision" />
              <TextInput size="xs" label="Labels (comma-separated)" value={labels} onChange={(e) => setLabels(e.currentTarget.value)} data-testid="gold-labels" />
            </>
          ) : (
            <Textarea
              size="xs"
              autosize
              minRows={2}
              label={form === 'consult' ? 'Note for the first reviewer' : 'Reason'}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-autofocus
              data-testid="action-reason"
            />
          )}
          {form === 'hold' && (
            <TextInput size="xs" type="datetime-local" label="Review by" value={reviewBy} onChange={(e) => setReviewBy(e.currentTarget.value)} data-testid="hold-review-by" />
          )}
          {error && (
            <Alert color="red" variant="light">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button size="xs" onClick={() => void run()} data-testid="action-submit">
              {form === 'hold' ? 'Hold' : form === 'reopen' ? 'Reopen' : form === 'gold' ? 'Mark gold' : 'Add note'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
