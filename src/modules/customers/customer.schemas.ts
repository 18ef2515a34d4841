import { Type, type Static } from 'typebox';
import { OrderSummary } from '../orders/order.schemas.js';
import { ReturnSummary } from '../returns/returns.schemas.js';

export const CustomerView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.String(), Type.Null()]),
  loyaltyId: Type.Union([Type.String(), Type.Null()]),
  marketingOptOut: Type.Boolean(),
  createdAt: Type.String(),
  /** Every channel and store, newest first. */
  orders: Type.Array(OrderSummary),
  orderCount: Type.Integer(),
  lifetimeValue: Type.Array(Type.Object({ currency: Type.String(), orders: Type.Integer(), totalMinor: Type.Integer() }), {
    description: 'per currency: lines not cancelled plus delivery fees, over orders not cancelled',
  }),
  /** Returns of the customer's orders, newest first. */
  returns: Type.Array(ReturnSummary),
  storeCredit: Type.Array(Type.Object({ currency: Type.String(), balanceMinor: Type.Integer() }), { description: 'store credit balance per currency' }),
});
export type CustomerView = Static<typeof CustomerView>;

export const CustomerQuery = Type.Object({
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
  phone: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
});
export type CustomerQuery = Static<typeof CustomerQuery>;
