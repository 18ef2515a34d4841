import { ActionIcon, Group, NumberInput, Stack, Text } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { ProductPicker, Section } from '../shared';
import { addToCart, cartTotal, type CartLine } from './draft';

/** The products the customer takes: scanned or typed, with their catalogue prices. */
export function CartSection({ cart, currency, onChange }: { cart: CartLine[]; currency: string; onChange(cart: CartLine[]): void }) {
  const { t } = useTranslation('counter');
  const fmt = useFormat();
  return (
    <Section title={t('order.cart')}>
      <ProductPicker onPick={(p) => onChange(addToCart(cart, p))} submitLabel={t('order.addProduct')} />
      {cart.length === 0 ? (
        <Text c="dimmed">{t('order.cartEmpty')}</Text>
      ) : (
        <Stack gap={0} component="ul" aria-label={t('order.cart')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {cart.map((line) => {
            const price = line.product.prices[currency];
            return (
              <Stack key={line.product.sku} component="li" gap={6} py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div>
                    <Text fw={500}>{line.product.name}</Text>
                    <Text size="sm" c="dimmed" ff="monospace">
                      {line.product.sku}
                    </Text>
                  </div>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="xl"
                    aria-label={t('order.removeLine', { sku: line.product.sku })}
                    onClick={() => onChange(cart.filter((l) => l !== line))}
                  >
                    <IconTrash />
                  </ActionIcon>
                </Group>
                <Group justify="space-between" wrap="nowrap" align="flex-end">
                  <NumberInput
                    label={t('order.quantity')}
                    aria-label={t('order.quantityOf', { sku: line.product.sku })}
                    size="lg"
                    w={130}
                    min={1}
                    max={99}
                    allowDecimal={false}
                    allowNegative={false}
                    clampBehavior="strict"
                    value={line.quantity}
                    onChange={(v) => onChange(cart.map((l) => (l === line ? { ...l, quantity: Math.max(1, Number(v) || 1) } : l)))}
                  />
                  <Text fw={600}>{price === undefined ? t('order.noPrice') : fmt.money(price * line.quantity, currency)}</Text>
                </Group>
              </Stack>
            );
          })}
        </Stack>
      )}
      {cart.length > 0 && (
        <Group justify="space-between">
          <Text>{t('order.subtotal')}</Text>
          <Text fw={700} data-testid="cart-total">
            {fmt.money(cartTotal(cart, currency), currency)}
          </Text>
        </Group>
      )}
    </Section>
  );
}
