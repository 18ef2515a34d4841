import { Type, type Static } from 'typebox';
import { LocationId } from '../../http/schemas.js';

/** The store the customer now wants to collect from (an active store that hands orders over). */
export const ChangePickupInput = Type.Object({ pickupLocationId: LocationId }, { additionalProperties: false });
export type ChangePickupInput = Static<typeof ChangePickupInput>;
