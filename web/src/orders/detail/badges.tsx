import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const ORDER_COLOR: Record<string, string> = {
  pending: 'gray',
  backordered: 'orange',
  allocated: 'blue',
  in_fulfillment: 'indigo',
  partially_shipped: 'cyan',
  shipped: 'teal',
  ready_for_pickup: 'teal',
  completed: 'green',
  cancelled: 'red',
};

/** An order's or a line's status (same words and colours). */
export function OrderStatusBadge({ status, size = 'md' }: { status: string; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={ORDER_COLOR[status] ?? 'gray'} variant="light" size={size} w="max-content">
      {t(`orderStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}

const FULFILLMENT_COLOR: Record<string, string> = {
  held: 'yellow',
  pending: 'gray',
  accepted: 'blue',
  picked: 'indigo',
  packed: 'indigo',
  shipped: 'teal',
  delivered: 'green',
  ready_for_pickup: 'teal',
  collected: 'green',
  received: 'green',
  rejected: 'red',
  cancelled: 'red',
};

export function FulfillmentStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={FULFILLMENT_COLOR[status] ?? 'gray'} variant="light" w="max-content">
      {t(`fulfillmentStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/**
 * Who did something, in words: a signed-in user (`user:ops@shop.fr`), an API key (`key:<name>`), or
 * Ordo itself (`system:<job>`).
 */
export function useActorLabel(): (actor: string) => string {
  const { t } = useTranslation('orderDetail');
  return (actor) => {
    const [kind, ...rest] = actor.split(':');
    const who = rest.join(':');
    if (kind === 'user') return who;
    if (kind === 'key') return t('actor.key', { name: who });
    if (kind === 'system') return t('actor.system', { job: who });
    return actor;
  };
}
