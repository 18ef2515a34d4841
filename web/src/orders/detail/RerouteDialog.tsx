import { Checkbox, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { useReroute } from './api';
import { DialogFooter } from './Section';
import type { Fulfillment } from './types';

/**
 * Ops move a fulfillment's units elsewhere, with a reason (kept in the order timeline): its held units go
 * back to stock and sourcing runs again, by default never choosing this location.
 */
export function RerouteDialog({ fulfillment, locationName, onClose }: { fulfillment: Fulfillment; locationName: string; onClose(): void }) {
  const { t } = useTranslation('orderDetail');
  const reroute = useReroute();
  const [reason, setReason] = useState('');
  const [avoid, setAvoid] = useState(true);
  // One key for this action, kept across retries of it: a double click never re-routes twice.
  const [key] = useState(newIdempotencyKey);
  const valid = reason.trim().length > 0;
  const submit = () => {
    if (!valid) return;
    reroute.mutate({ key, fulfillmentId: fulfillment.id, reason: reason.trim(), excludeLocation: avoid }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={t('reroute.title', { number: fulfillment.number })} centered size="lg">
      <Stack>
        <Text size="sm">{t('reroute.explain', { location: locationName })}</Text>
        <Textarea
          label={t('reroute.reason')}
          description={t('reroute.reasonHelp')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={2}
          required
          data-autofocus
        />
        <Checkbox label={t('reroute.avoid', { location: locationName })} checked={avoid} onChange={(e) => setAvoid(e.currentTarget.checked)} />
        <DialogFooter error={reroute.error} failed={t('reroute.failed')} pending={reroute.isPending} disabled={!valid} confirm={t('reroute.confirm')} color="orange" onClose={onClose} onConfirm={submit} />
      </Stack>
    </Modal>
  );
}
