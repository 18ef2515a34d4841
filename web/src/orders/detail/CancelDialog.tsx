import { Checkbox, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { useCancel } from './api';
import { DialogFooter } from './Section';
import { CANCEL_REASONS, type CancelReason, type LineStatus, type Order } from './types';

/** Lines the API may still cancel (it refuses the others anyway, with a 409). */
const CANCELLABLE: ReadonlySet<LineStatus> = new Set(['pending', 'backordered', 'allocated', 'in_fulfillment', 'ready_for_pickup']);
export const cancellableLines = (order: Order) => order.lines.filter((l) => CANCELLABLE.has(l.status));

/**
 * Cancel the whole order (`lines` absent) or the chosen lines: held stock goes back, the payment for
 * them is voided or refunded. The dialog is the confirmation: it says what will happen.
 */
export function CancelDialog({ order, whole, onClose }: { order: Order; whole: boolean; onClose(): void }) {
  const { t } = useTranslation('orderDetail');
  const cancel = useCancel(order);
  const lines = cancellableLines(order);
  const [chosen, setChosen] = useState<string[]>(lines.length === 1 ? [lines[0]!.id] : []);
  const [reason, setReason] = useState<CancelReason>('customer_request');
  const [note, setNote] = useState('');
  const [key] = useState(newIdempotencyKey);
  const ready = whole || chosen.length > 0;
  const submit = () => {
    if (!ready) return;
    cancel.mutate({ key, reason, ...(whole ? {} : { lineIds: chosen }), ...(note.trim() ? { note: note.trim() } : {}) }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={whole ? t('cancel.titleOrder', { number: order.number }) : t('cancel.titleLines')} centered size="lg">
      <Stack>
        <Text size="sm">{whole ? t('cancel.explainOrder') : t('cancel.explainLines')}</Text>
        {!whole && (
          <Checkbox.Group label={t('cancel.lines')} value={chosen} onChange={setChosen} required>
            <Stack gap="xs" mt="xs">
              {lines.map((l) => (
                <Checkbox key={l.id} value={l.id} label={`${l.name} (${l.sku}) ×${l.quantity}`} />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <Select
          label={t('cancel.reason')}
          data={CANCEL_REASONS.map((r) => ({ value: r, label: t(`cancel.reasons.${r}`) }))}
          value={reason}
          onChange={(v) => v && setReason(v as CancelReason)}
          allowDeselect={false}
        />
        <Textarea label={t('cancel.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
        <DialogFooter
          error={cancel.error}
          failed={t('cancel.failed')}
          pending={cancel.isPending}
          disabled={!ready}
          confirm={whole ? t('cancel.confirmOrder') : t('cancel.confirmLines', { count: chosen.length })}
          color="red"
          onClose={onClose}
          onConfirm={submit}
        />
      </Stack>
    </Modal>
  );
}
