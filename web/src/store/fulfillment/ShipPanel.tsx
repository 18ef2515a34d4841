import { Button, Select, Stack, Text } from '@mantine/core';
import { IconPrinter, IconTruckDelivery } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert, Loading } from '../../ui/feedback';
import type { Carrier, Fulfillment } from '../types';

/**
 * Shipping: the carrier and service (the ones the promise planned, unless the associate hands the
 * parcels to another), then the API prints the label.
 */
export function ShipPanel({ f, busy, onShip }: { f: Fulfillment; busy: boolean; onShip(body: { carrierId: string; service: string }): void }) {
  const { t } = useTranslation('store');
  const carriers = useQuery({
    queryKey: ['carriers'],
    queryFn: ({ signal }) => api.get<{ items: Carrier[] }>('/v1/carriers', undefined, signal),
    staleTime: 10 * 60_000,
  });
  const planned = f.plannedCarrier ?? {};
  const [carrierId, setCarrierId] = useState<string | null>(null);
  const [service, setService] = useState<string | null>(null);
  if (carriers.isPending) return <Loading />;
  if (carriers.isError) return <ErrorAlert error={carriers.error} onRetry={() => void carriers.refetch()} />;

  const active = carriers.data.items.filter((c) => c.active && c.services.length > 0);
  const carrier = active.find((c) => c.id === (carrierId ?? planned.carrierId)) ?? active[0];
  const wantedService = service ?? f.service ?? planned.service;
  const chosenService = carrier?.services.find((s) => s.service === wantedService) ?? carrier?.services[0];
  if (!carrier || !chosenService) return <Text c="red">{t('ship.noCarrier')}</Text>;

  return (
    <Stack gap="sm">
      <Select
        size="lg"
        label={t('ship.carrier')}
        data={active.map((c) => ({ value: c.id, label: c.name }))}
        value={carrier.id}
        onChange={(v) => {
          setCarrierId(v);
          setService(null);
        }}
        allowDeselect={false}
      />
      <Select
        size="lg"
        label={t('ship.service')}
        data={carrier.services.map((s) => ({ value: s.service, label: s.name }))}
        value={chosenService.service}
        onChange={setService}
        allowDeselect={false}
      />
      <Button size="xl" fullWidth loading={busy} leftSection={<IconTruckDelivery />} onClick={() => onShip({ carrierId: carrier.id, service: chosenService.service })}>
        {t('actions.ship')}
      </Button>
    </Stack>
  );
}

/** The label the API printed: a PDF, opened in a new tab where the phone or the desk printer prints it. */
export function LabelButton({ f }: { f: Fulfillment }) {
  const { t } = useTranslation('store');
  if (!f.shipment?.labelId) return null;
  return (
    <Button component="a" href={`/v1/fulfillments/${encodeURIComponent(f.id)}/label`} target="_blank" rel="noopener" size="xl" fullWidth leftSection={<IconPrinter />}>
      {t('actions.printLabel')}
    </Button>
  );
}
