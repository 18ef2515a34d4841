/**
 * Chart colours of the order statuses: the badges' hues (orders/detail/badges.tsx), with ready for pickup
 * apart from shipped so that neighbouring slices of the donut stay distinct.
 */
export const STATUS_CHART_COLOR: Record<string, string> = {
  pending: 'gray.5',
  backordered: 'orange.6',
  allocated: 'blue.6',
  in_fulfillment: 'indigo.6',
  partially_shipped: 'cyan.6',
  shipped: 'teal.6',
  ready_for_pickup: 'grape.6',
  completed: 'green.6',
  cancelled: 'red.6',
};
