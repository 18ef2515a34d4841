import type { DbOrTx } from '../../db/database.js';
import type { Resolution, ReturnStatus } from '../../domain/returns/return-lifecycle.js';
import { linesOfReturns, orderNumbers, returnLabels, type LoadedReturn, type ReturnLineRow, type ReturnRow } from './return.repository.js';
import type { ReturnSummary, ReturnView } from './returns.schemas.js';

const isoOrNull = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

export async function returnViews(db: DbOrTx, rows: readonly ReturnRow[]): Promise<ReturnView[]> {
  const ids = rows.map((r) => r.id);
  const [lines, labels, numbers] = await Promise.all([linesOfReturns(db, ids), returnLabels(db, ids), orderNumbers(db, rows.map((r) => r.order_id))]);
  return rows.map((ret) => toReturnView({ ret, lines: lines.filter((l) => l.return_id === ret.id) }, numbers.get(ret.order_id) ?? '', labels.get(ret.id)));
}

export async function returnView(db: DbOrTx, loaded: LoadedReturn): Promise<ReturnView> {
  return (await returnViews(db, [loaded.ret]))[0]!;
}

function toReturnView({ ret: r, lines }: LoadedReturn, orderNumber: string, label: { carrierId: string; service: string; trackingNumber: string; trackingUrl: string | null } | undefined): ReturnView {
  return {
    id: r.id,
    number: r.number,
    orderId: r.order_id,
    orderNumber,
    channel: r.channel_id,
    status: r.status as ReturnStatus,
    resolution: r.resolution as Resolution,
    destination: { kind: r.destination_kind as ReturnView['destination']['kind'], locationId: r.location_id, reason: r.destination_reason },
    currency: r.currency,
    policy: r.policy,
    returnBy: new Date(r.return_by).toISOString(),
    lines: lines.map(lineView),
    exchange: r.exchange_order_id ? { orderId: r.exchange_order_id, creditMinor: Number(r.exchange_credit_minor), outcome: r.exchange_outcome } : null,
    label: label ?? null,
    amounts: {
      refundMinor: Number(r.refund_minor),
      shippingRefundMinor: Number(r.shipping_refund_minor),
      creditMinor: Number(r.credit_minor),
      chargedMinor: Number(r.charged_minor),
      unsettledMinor: Number(r.unsettled_minor),
    },
    note: r.note,
    cancelReason: r.cancel_reason,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    receivedAt: isoOrNull(r.received_at),
    settledAt: isoOrNull(r.settled_at),
    cancelledAt: isoOrNull(r.cancelled_at),
  };
}

function lineView(l: ReturnLineRow): ReturnView['lines'][number] {
  return {
    id: l.id,
    orderLineId: l.order_line_id,
    sku: l.sku,
    quantity: l.quantity,
    reason: l.reason,
    resellable: l.resellable_quantity,
    damaged: l.damaged_quantity,
    missing: l.missing_quantity,
    valueMinor: Number(l.value_minor),
    note: l.note,
  };
}

export const toReturnSummary = (r: ReturnRow): ReturnSummary => ({
  id: r.id,
  number: r.number,
  orderId: r.order_id,
  status: r.status,
  resolution: r.resolution,
  locationId: r.location_id,
  createdAt: new Date(r.created_at).toISOString(),
});
