import { SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Section } from '../shared';
import type { CustomerDraft } from './draft';

/** Who the order is for: how to reach them, and the language of their e-mails and texts. */
export function CustomerSection({ customer, onChange, errors }: { customer: CustomerDraft; onChange(c: CustomerDraft): void; errors: { email?: string; phone?: string; contact?: string } }) {
  const { t } = useTranslation('counter');
  const set = (patch: Partial<CustomerDraft>) => onChange({ ...customer, ...patch });
  return (
    <Section title={t('order.customer')}>
      <TextInput label={t('order.customerName')} size="lg" autoComplete="off" value={customer.name} onChange={(e) => set({ name: e.currentTarget.value })} />
      <TextInput
        label={t('order.email')}
        type="email"
        inputMode="email"
        size="lg"
        autoComplete="off"
        value={customer.email}
        onChange={(e) => set({ email: e.currentTarget.value })}
        error={errors.email ?? errors.contact}
      />
      <TextInput label={t('order.phone')} type="tel" inputMode="tel" size="lg" autoComplete="off" value={customer.phone} onChange={(e) => set({ phone: e.currentTarget.value })} error={errors.phone} />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="customer-language">
          {t('order.language')}
        </Text>
        <SegmentedControl
          aria-labelledby="customer-language"
          size="lg"
          fullWidth
          value={customer.language}
          onChange={(v) => set({ language: v as CustomerDraft['language'] })}
          data={[
            { value: 'fr', label: 'Français' },
            { value: 'en', label: 'English' },
          ]}
        />
      </Stack>
    </Section>
  );
}
