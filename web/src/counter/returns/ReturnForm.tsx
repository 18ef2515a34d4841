import { Alert, Badge, Button, Group, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { Section } from '../shared';
import { blockedBecause, RETURN_REASONS, type Condition, type LineChoice, type Resolution, type Returnable, type ReturnReason } from './types';

export interface ReturnRequest {
  choices: Record<string, LineChoice>;
  resolution: Resolution;
  /** Exchange: the replacement is collected here, or goes the way the order went. */
  exchangeHere: boolean;
}

/** The order's lines with what each may still return, and the associate's choices for each. */
export function ReturnForm({ order, busy, onSubmit, onCancel }: { order: Returnable; busy: boolean; onSubmit(r: ReturnRequest): void; onCancel(): void }) {
  const { t } = useTranslation('counter');
  const fmt = useFormat();
  const [choices, setChoices] = useState<Record<string, LineChoice>>(() =>
    Object.fromEntries(order.lines.map((l) => [l.lineId, { quantity: 0, reason: null, condition: 'resellable', replacementSku: l.sku } satisfies LineChoice])),
  );
  const [resolution, setResolution] = useState<Resolution>('refund');
  const [exchangeHere, setExchangeHere] = useState(true);
  const [checked, setChecked] = useState(false);
  const set = (lineId: string, patch: Partial<LineChoice>) => setChoices((c) => ({ ...c, [lineId]: { ...c[lineId]!, ...patch } }));

  const chosen = order.lines.filter((l) => (choices[l.lineId]?.quantity ?? 0) > 0);
  const missingReason = chosen.filter((l) => !choices[l.lineId]?.reason);
  const value = chosen.reduce((s, l) => s + Math.round((l.totalMinor * choices[l.lineId]!.quantity) / l.quantity), 0);
  const anyReturnable = order.lines.some((l) => l.returnable > 0);

  // Not a form: Enter in a field (or a scanner) never sends it by accident.
  const submit = () => {
    setChecked(true);
    if (chosen.length === 0 || missingReason.length > 0) return;
    onSubmit({ choices, resolution, exchangeHere });
  };

  return (
    <Stack gap="md">
      <Section title={t('returns.orderTitle', { number: order.number })} aside={<Badge variant="light">{fmt.date(order.createdAt)}</Badge>}>
        {order.customer.name && <Text>{order.customer.name}</Text>}
        <Text size="sm" c="dimmed">
          {t('returns.policy', { days: order.policy.windowDays })}
        </Text>
      </Section>
      {!anyReturnable && (
        <Alert color="orange" role="alert">
          {t('returns.nothingReturnable')}
        </Alert>
      )}
      {order.lines.map((line) => {
        const choice = choices[line.lineId]!;
        const blocked = blockedBecause(line);
        const unit = line.totalMinor / line.quantity;
        return (
          <Section key={line.lineId} title={line.name}>
            <Group gap="xs">
              <Badge variant="light" ff="monospace">
                {line.sku}
              </Badge>
              <Text size="sm">{t('returns.paidEach', { amount: fmt.money(Math.round(unit), order.currency) })}</Text>
            </Group>
            <Text size="sm" c="dimmed">
              {t('returns.counts', { bought: line.quantity, delivered: line.delivered, returned: line.alreadyReturned })}
            </Text>
            {blocked ? (
              <Text c="orange.8" fw={500} role="note">
                {t(`returns.blocked.${blocked}`, { date: fmt.date(line.windowEndsAt) })}
              </Text>
            ) : (
              <Stack gap="sm">
                <NumberInput
                  label={t('returns.quantity', { max: line.returnable })}
                  aria-label={t('returns.quantityOf', { sku: line.sku, max: line.returnable })}
                  size="lg"
                  min={0}
                  max={line.returnable}
                  allowDecimal={false}
                  allowNegative={false}
                  clampBehavior="strict"
                  value={choice.quantity}
                  onChange={(v) => set(line.lineId, { quantity: Math.min(line.returnable, Math.max(0, Number(v) || 0)) })}
                />
                {choice.quantity > 0 && (
                  <>
                    <Select
                      label={t('returns.reason')}
                      aria-label={t('returns.reasonOf', { sku: line.sku })}
                      size="lg"
                      placeholder={t('returns.reasonPlaceholder')}
                      data={RETURN_REASONS.map((r) => ({ value: r, label: t(`returns.reasons.${r}`) }))}
                      value={choice.reason}
                      onChange={(v) => set(line.lineId, { reason: v as ReturnReason | null })}
                      error={checked && !choice.reason ? t('returns.reasonNeeded') : undefined}
                      comboboxProps={{ withinPortal: true }}
                    />
                    <Stack gap={4}>
                      <Text size="sm" fw={500} id={`condition-${line.lineId}`}>
                        {t('returns.condition')}
                      </Text>
                      <SegmentedControl
                        aria-labelledby={`condition-${line.lineId}`}
                        size="md"
                        fullWidth
                        color={choice.condition === 'damaged' ? 'orange' : 'green'}
                        value={choice.condition}
                        onChange={(v) => set(line.lineId, { condition: v as Condition })}
                        data={[
                          { value: 'resellable', label: t('returns.resellable') },
                          { value: 'damaged', label: t('returns.damaged') },
                        ]}
                      />
                    </Stack>
                    {resolution === 'exchange' && (
                      <TextInput
                        label={t('returns.replacementSku')}
                        size="lg"
                        ff="monospace"
                        autoCapitalize="characters"
                        value={choice.replacementSku}
                        onChange={(e) => set(line.lineId, { replacementSku: e.currentTarget.value.trim() })}
                      />
                    )}
                  </>
                )}
              </Stack>
            )}
          </Section>
        );
      })}
      {anyReturnable && (
        <Section title={t('returns.resolution')}>
          <SegmentedControl
            aria-label={t('returns.resolution')}
            size="md"
            fullWidth
            orientation="vertical"
            value={resolution}
            onChange={(v) => setResolution(v as Resolution)}
            data={[
              { value: 'refund', label: t('returns.resolutions.refund') },
              { value: 'exchange', label: t('returns.resolutions.exchange') },
              { value: 'store_credit', label: t('returns.resolutions.store_credit'), disabled: !order.customer.known },
            ]}
          />
          {resolution === 'exchange' && (
            <SegmentedControl
              aria-label={t('returns.exchangeDelivery')}
              size="md"
              fullWidth
              value={exchangeHere ? 'here' : 'original'}
              onChange={(v) => setExchangeHere(v === 'here')}
              data={[
                { value: 'here', label: t('returns.exchangeHere') },
                { value: 'original', label: t('returns.exchangeOriginal') },
              ]}
            />
          )}
          <Group justify="space-between">
            <Text>{t('returns.value')}</Text>
            <Text fw={700} data-testid="return-value">
              {fmt.money(value, order.currency)}
            </Text>
          </Group>
          {!order.policy.autoRefund && resolution === 'refund' && (
            <Text size="sm" c="dimmed">
              {t('returns.refundAtCounter')}
            </Text>
          )}
        </Section>
      )}
      {checked && chosen.length === 0 && anyReturnable && (
        <Alert color="orange" role="alert">
          {t('returns.chooseUnits')}
        </Alert>
      )}
      {anyReturnable && (
        <Button size="xl" fullWidth onClick={submit} loading={busy}>
          {t(`returns.submit.${resolution}`)}
        </Button>
      )}
      <Button variant="default" size="lg" fullWidth onClick={onCancel} disabled={busy}>
        {t('returns.otherOrder')}
      </Button>
    </Stack>
  );
}
