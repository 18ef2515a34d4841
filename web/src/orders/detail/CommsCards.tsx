import { Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { EmptyState } from '../../ui/feedback';
import { Section } from './Section';
import type { OrderReturn, SentNotification } from './types';

const NOTIFICATION_COLOR: Record<SentNotification['status'], string> = { sent: 'green', sending: 'yellow', retrying: 'yellow', failed: 'red', suppressed: 'gray' };

/** E-mails and SMS sent (or held back) to the customer about this order. */
export function NotificationsCard({ items }: { items: SentNotification[] }) {
  const { t } = useTranslation('orderDetail');
  const f = useFormat();
  return (
    <Section id="notifications-title" title={t('notifications.title')}>
      {items.length === 0 ? (
        <EmptyState title={t('notifications.none')} />
      ) : (
        <Stack gap="sm">
          {items.map((n) => (
            <Stack gap={2} key={n.id}>
              <Text size="sm" fw={500}>
                {n.summary}
              </Text>
              <Text size="xs" c="dimmed">
                {t(`notifications.channel.${n.channel}`)} · {n.recipient} · {f.dateTime(n.sentAt ?? n.createdAt)}
              </Text>
              <div>
                <Badge size="sm" variant="light" color={NOTIFICATION_COLOR[n.status]}>
                  {t(`notifications.status.${n.status}`)}
                </Badge>
                {n.error && (
                  <Text size="xs" c="red" span ml="xs">
                    {n.error}
                  </Text>
                )}
              </div>
            </Stack>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** Returns made against the order. */
export function ReturnsCard({ items }: { items: OrderReturn[] }) {
  const { t } = useTranslation('orderDetail');
  const f = useFormat();
  return (
    <Section id="returns-title" title={t('returns.title')}>
      {items.length === 0 ? (
        <EmptyState title={t('returns.none')} />
      ) : (
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('returns.number')}</Table.Th>
              <Table.Th>{t('returns.status')}</Table.Th>
              <Table.Th>{t('returns.units')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Text size="sm">{r.number}</Text>
                  {r.createdAt && (
                    <Text size="xs" c="dimmed">
                      {f.date(r.createdAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {t(`returns.statuses.${r.status}`, { defaultValue: r.status })} · {t(`returns.resolutions.${r.resolution}`, { defaultValue: r.resolution })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{r.lines.map((l) => `${l.sku} ×${l.quantity}`).join(', ')}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}
