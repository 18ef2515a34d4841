import { ActionIcon, Alert, Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconBarcode, IconCircleCheck, IconMinus, IconPlus } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ItemRow } from '../parts';
import type { Fulfillment, Product } from '../types';
import { applyScan, barcodeIndex, isPickable, missingUnits, pickBody, pickTargets } from './scan';

type Feedback = { ok: boolean; text: string; seq: number };

// Keyed by the lines still to pick: a pickup reopened with new lines starts a fresh count.
const storageKey = (f: Fulfillment) => `ordo.pick.${f.id}.${f.lines.filter(isPickable).map((l) => l.id).join(',')}`;
function loadCounts(key: string): Record<string, number> {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(key) ?? '{}');
    return saved && typeof saved === 'object' ? (saved as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** The products of the lines (names, barcodes, weights); a product missing from the catalogue is skipped. */
export function useProducts(skus: readonly string[]): Product[] {
  const results = useQueries({
    queries: skus.map((sku) => ({
      queryKey: ['products', sku],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Product>(`/v1/products/${encodeURIComponent(sku)}`, undefined, signal),
      staleTime: 10 * 60_000,
      retry: false,
    })),
  });
  return results.flatMap((r) => (r.data ? [r.data] : []));
}

/**
 * Picking: a barcode field that keeps the focus (keyboard-wedge scanners type the code, then Enter),
 * each scan counting one unit of its line with a clear success or error, +/− for manual counts, and the
 * pick confirmed complete or short (the API re-routes the missing units). Counts survive a reload of the
 * page on this device (sessionStorage).
 */
export function PickPanel({ f, busy, onPick }: { f: Fulfillment; busy: boolean; onPick(body: ReturnType<typeof pickBody>, short: boolean): void }) {
  const { t } = useTranslation('store');
  const targets = useMemo(() => pickTargets(f.lines), [f.lines]);
  const products = useProducts(useMemo(() => targets.map((x) => x.sku), [targets]));
  const barcodes = useMemo(() => barcodeIndex(products), [products]);
  const key = storageKey(f);
  const [counts, setCounts] = useState<Record<string, number>>(() => loadCounts(key));
  const [code, setCode] = useState('');
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [confirmShort, setConfirmShort] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => sessionStorage.setItem(key, JSON.stringify(counts)), [key, counts]);

  const missing = missingUnits(targets, counts);
  const say = (ok: boolean, text: string) => {
    setFeedback((prev) => ({ ok, text, seq: (prev?.seq ?? 0) + 1 }));
    if (!ok) navigator.vibrate?.(200);
  };

  const scan = (e: FormEvent) => {
    e.preventDefault();
    if (code.trim() === '') return;
    const outcome = applyScan(code, targets, barcodes, counts);
    if (outcome.ok) {
      setCounts((c) => ({ ...c, [outcome.sku]: outcome.picked }));
      say(true, t('pick.scanned', { name: outcome.name, picked: outcome.picked, wanted: outcome.wanted }));
    } else if (outcome.reason === 'unknown') say(false, t('pick.unknown', { code: outcome.code }));
    else say(false, t('pick.tooMany', { name: outcome.name, wanted: outcome.wanted }));
    setCode('');
    input.current?.focus();
  };

  const adjust = (sku: string, delta: number, wanted: number) =>
    setCounts((c) => ({ ...c, [sku]: Math.max(0, Math.min(wanted, (c[sku] ?? 0) + delta)) }));

  const send = () => {
    setConfirmShort(false);
    onPick(pickBody(targets, counts), missing > 0);
  };

  return (
    <Stack gap="sm">
      <form onSubmit={scan}>
        <TextInput
          ref={input}
          size="xl"
          label={t('pick.scanLabel')}
          description={t('pick.scanHint')}
          leftSection={<IconBarcode size={28} aria-hidden />}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          autoFocus
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          enterKeyHint="enter"
        />
      </form>
      <div aria-live="assertive" data-testid="scan-feedback">
        {feedback && (
          <Alert
            key={feedback.seq}
            color={feedback.ok ? 'green' : 'red'}
            variant="filled"
            icon={feedback.ok ? <IconCircleCheck /> : <IconAlertTriangle />}
            role={feedback.ok ? 'status' : 'alert'}
          >
            <Text fw={600}>{feedback.text}</Text>
          </Alert>
        )}
      </div>

      <Title order={3}>{t('fulfillment.items')}</Title>
      {targets.length === 0 && <Text c="dimmed">{t('pick.nothingHere')}</Text>}
      {targets.map((x) => {
        const n = counts[x.sku] ?? 0;
        const done = n >= x.wanted;
        return (
          <ItemRow key={x.sku} name={x.name} sku={x.sku} done={done}>
            <Group gap={6} wrap="nowrap">
              <ActionIcon
                size={48}
                variant="default"
                aria-label={t('pick.minus', { sku: x.sku })}
                disabled={n === 0}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => adjust(x.sku, -1, x.wanted)}
              >
                <IconMinus />
              </ActionIcon>
              <Text fw={700} size="xl" miw={56} ta="center" c={done ? 'green.8' : undefined} aria-label={t('pick.count', { sku: x.sku, picked: n, wanted: x.wanted })}>
                {n}/{x.wanted}
              </Text>
              <ActionIcon
                size={48}
                variant="default"
                aria-label={t('pick.plus', { sku: x.sku })}
                disabled={done}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => adjust(x.sku, 1, x.wanted)}
              >
                <IconPlus />
              </ActionIcon>
            </Group>
          </ItemRow>
        );
      })}
      {f.lines
        .filter((l) => l.pickedQuantity !== null)
        .map((l) => (
          <Text key={l.id} size="sm" c="dimmed">
            {t('pick.alreadyPicked', { name: l.name, count: l.pickedQuantity ?? 0 })}
          </Text>
        ))}

      {missing === 0 ? (
        <Button size="xl" fullWidth color="green" loading={busy} onClick={send}>
          {t('actions.confirmPick')}
        </Button>
      ) : (
        <>
          <Text ta="center" fw={600}>
            {t('pick.remaining', { count: missing })}
          </Text>
          <Button size="lg" fullWidth variant="outline" color="orange" loading={busy} onClick={() => setConfirmShort(true)}>
            {t('actions.shortPick')}
          </Button>
        </>
      )}

      <Modal opened={confirmShort} onClose={() => setConfirmShort(false)} title={t('pick.shortTitle')} centered>
        <Stack>
          <Text>{missing === targets.reduce((s, x) => s + x.wanted, 0) ? t('pick.nothingFound') : t('pick.shortText', { count: missing })}</Text>
          <Button size="lg" color="orange" onClick={send} loading={busy}>
            {t('pick.shortConfirm')}
          </Button>
          <Button size="lg" variant="default" onClick={() => setConfirmShort(false)}>
            {t('pick.keepPicking')}
          </Button>
        </Stack>
      </Modal>
    </Stack>
  );
}
