import { describe, expect, it } from 'vitest';
import { lineProgress, lineStatusFromStages, unitStage } from './order-progress.js';

describe('order progress from allocations and fulfillments', () => {
  it('maps each allocation to a stage', () => {
    expect(unitStage({ status: 'reserved', fulfillment: null })).toBe('allocated');
    expect(unitStage({ status: 'reserved', fulfillment: { kind: 'ship', status: 'pending' } })).toBe('allocated');
    expect(unitStage({ status: 'reserved', fulfillment: { kind: 'ship', status: 'picked' } })).toBe('in_fulfillment');
    expect(unitStage({ status: 'reserved', fulfillment: { kind: 'pickup', status: 'ready_for_pickup' } })).toBe('ready_for_pickup');
    expect(unitStage({ status: 'fulfilled', fulfillment: { kind: 'ship', status: 'shipped' } })).toBe('shipped');
    expect(unitStage({ status: 'fulfilled', fulfillment: { kind: 'ship', status: 'delivered' } })).toBe('completed');
    expect(unitStage({ status: 'fulfilled', fulfillment: null })).toBe('completed');
    expect(unitStage({ status: 'transferred', fulfillment: { kind: 'transfer', status: 'shipped' } })).toBe('in_fulfillment');
    expect(unitStage({ status: 'transferred', fulfillment: { kind: 'transfer', status: 'received' } })).toBeUndefined();
    expect(unitStage({ status: 'released' })).toBeUndefined();
    expect(unitStage({ status: 'missing' })).toBeUndefined();
    expect(unitStage({ status: 'backordered' })).toBe('backordered');
  });

  it('derives the line status with the documented precedence', () => {
    expect(lineStatusFromStages(['completed', 'completed'], false)).toBe('completed');
    expect(lineStatusFromStages(['shipped', 'completed'], false)).toBe('shipped');
    expect(lineStatusFromStages(['ready_for_pickup'], false)).toBe('ready_for_pickup');
    expect(lineStatusFromStages(['shipped', 'allocated'], false)).toBe('in_fulfillment');
    expect(lineStatusFromStages(['allocated', 'backordered'], false)).toBe('backordered');
    expect(lineStatusFromStages(['allocated'], false)).toBe('allocated');
    expect(lineStatusFromStages([], true)).toBe('cancelled');
    expect(lineStatusFromStages([], false)).toBe('pending');
  });

  it('a received transfer hands its units over to the pickup store allocation', () => {
    const moved = { status: 'transferred' as const, fulfillment: { kind: 'transfer' as const, status: 'received' as const } };
    const atStore = { status: 'reserved' as const, fulfillment: { kind: 'pickup' as const, status: 'accepted' as const } };
    expect(lineProgress([moved, atStore], false)).toBe('in_fulfillment');
  });
});
