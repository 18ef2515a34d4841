import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Location } from '../api/types';
import { useFormat } from '../format';
import { ErrorAlert } from '../ui/feedback';
import { keys } from './queries';
import type { Position, SetStockResult } from './types';

/**
 * Sets the on hand of one position (PUT /v1/inventory/{locationId}/{sku}) after a confirmation step.
 * The count is dated now: a feed message counted later still wins, one counted earlier is ignored.
 */
export function AdjustStockModal({
  sku,
  position,
  locations,
  opened,
  onClose,
}: {
  sku: string;
  /** The position to correct; undefined: the user picks a location (stock where there was none). */
  position: Position | undefined;
  locations: Location[];
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('inventory');
  const fmt = useFormat();
  const client = useQueryClient();
  const [locationId, setLocationId] = useState<string | null>(position?.locationId ?? null);
  const [onHand, setOnHand] = useState<number | string>(position?.onHand ?? '');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [stale, setStale] = useState<SetStockResult | null>(null);
  const location = locations.find((l) => l.id === locationId);
  const save = useMutation({
    mutationFn: () =>
      api.put<SetStockResult>(`/v1/inventory/${encodeURIComponent(locationId!)}/${encodeURIComponent(sku)}`, {
        onHand: Number(onHand),
        asOf: new Date().toISOString(),
        source: reason.trim() ? `back office: ${reason.trim()}`.slice(0, 200) : 'back office',
      }),
    onSuccess: async (result) => {
      await client.invalidateQueries({ queryKey: keys.sku(sku) });
      if (!result.applied) {
        setStale(result);
        setConfirming(false);
        return;
      }
      notifications.show({ color: 'teal', message: t('adjust.saved', { location: location?.name ?? locationId, onHand: result.position.onHand }) });
      onClose();
    },
  });
  const valid = locationId !== null && onHand !== '' && Number.isInteger(Number(onHand)) && Number(onHand) >= 0;
  return (
    <Modal opened={opened} onClose={onClose} title={t('adjust.title', { sku })} centered>
      <Stack>
        {position ? (
          <Text size="sm">{t('adjust.current', { location: location?.name ?? position.locationId, onHand: fmt.number(position.onHand), reserved: fmt.number(position.reserved) })}</Text>
        ) : (
          <Select label={t('col.location')} searchable data={locations.map((l) => ({ value: l.id, label: l.name }))} value={locationId} onChange={setLocationId} disabled={confirming} />
        )}
        <NumberInput clampBehavior="none" label={t('adjust.onHand')} min={0} allowDecimal={false} allowNegative={false} value={onHand} onChange={setOnHand} disabled={confirming} data-autofocus />
        <TextInput label={t('adjust.reason')} placeholder={t('adjust.reasonHint')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={150} disabled={confirming} />
        {stale && <Alert color="orange">{t('adjust.stale', { when: fmt.dateTime(stale.position.lastSetAt), onHand: stale.position.onHand })}</Alert>}
        {save.isError && <ErrorAlert error={save.error} />}
        {confirming ? (
          <Alert color="indigo" title={t('adjust.confirmTitle')}>
            <Stack gap="sm">
              <Text size="sm">
                {t('adjust.confirmText', { location: location?.name ?? locationId, from: fmt.number(position?.onHand ?? 0), to: fmt.number(Number(onHand)) })}
              </Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setConfirming(false)}>
                  {t('common:actions.back')}
                </Button>
                <Button onClick={() => save.mutate()} loading={save.isPending}>
                  {t('adjust.confirm')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : (
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button disabled={!valid} onClick={() => setConfirming(true)}>
              {t('adjust.review')}
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
