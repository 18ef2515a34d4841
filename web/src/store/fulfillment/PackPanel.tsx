import { ActionIcon, Button, Group, NumberInput, Stack, Text } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import type { Fulfillment } from '../types';
import { useProducts } from './PickPanel';

/** Catalogue weight of the held units, rounded up to 100 g, plus the box: a starting value the associate corrects on the scale. */
function estimatedKg(f: Fulfillment, weights: ReadonlyMap<string, number | null>): number | undefined {
  const held = f.lines.filter((l) => l.allocationStatus === 'reserved');
  if (held.some((l) => !weights.get(l.sku))) return undefined;
  const grams = held.reduce((s, l) => s + (weights.get(l.sku) ?? 0) * (l.pickedQuantity ?? l.quantity), 0) + 150;
  return Math.ceil(grams / 100) / 10;
}

/** Packing: one weight per parcel (kg on screen, grams to the API), as many parcels as needed. */
export function PackPanel({ f, busy, onPack }: { f: Fulfillment; busy: boolean; onPack(body: { parcels: Array<{ weightGrams: number }> }): void }) {
  const { t, i18n } = useTranslation('store');
  const fmt = useFormat();
  const products = useProducts(useMemo(() => [...new Set(f.lines.map((l) => l.sku))], [f.lines]));
  const estimate = estimatedKg(f, new Map(products.map((p) => [p.sku, p.weightGrams])));
  // Until the associate types, the single parcel shows the estimate (the products load after the page).
  const [edited, setEdited] = useState<Array<number | string> | null>(null);
  const weights = edited ?? [estimate ?? ''];
  const grams = weights.map((w) => Math.round(Number(w) * 1000));
  const valid = weights.every((w) => w !== '') && grams.every((g) => Number.isFinite(g) && g >= 1 && g <= 70_000);

  return (
    <Stack gap="sm">
      {weights.map((w, i) => (
        <Group key={i} align="flex-end" wrap="nowrap">
          <NumberInput
            style={{ flex: 1 }}
            size="lg"
            label={t('pack.weight', { n: i + 1 })}
            value={w}
            onChange={(v) => setEdited(weights.map((p, j) => (j === i ? v : p)))}
            min={0.001}
            max={70}
            step={0.1}
            decimalScale={3}
            decimalSeparator={i18n.language === 'fr' ? ',' : '.'}
            inputMode="decimal"
            error={w !== '' && !(Number(w) > 0 && Number(w) <= 70) ? t('pack.weightRange') : undefined}
          />
          {weights.length > 1 && (
            <ActionIcon size={50} variant="default" aria-label={t('pack.remove', { n: i + 1 })} onClick={() => setEdited(weights.filter((_, j) => j !== i))}>
              <IconTrash />
            </ActionIcon>
          )}
        </Group>
      ))}
      {estimate !== undefined && (
        <Text size="sm" c="dimmed">
          {t('pack.estimated', { weight: fmt.number(estimate, { maximumFractionDigits: 1 }) })}
        </Text>
      )}
      <Button variant="default" size="lg" leftSection={<IconPlus />} onClick={() => setEdited([...weights, ''])} disabled={weights.length >= 50}>
        {t('pack.add')}
      </Button>
      <Button size="xl" fullWidth loading={busy} disabled={!valid} onClick={() => onPack({ parcels: grams.map((weightGrams) => ({ weightGrams })) })}>
        {t('actions.pack', { count: weights.length })}
      </Button>
    </Stack>
  );
}
