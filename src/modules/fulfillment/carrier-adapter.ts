import type { Result } from '../../domain/shared/result.js';
import type { Parcel } from './fulfillment.schemas.js';

/** A printable address block: who sends, who receives. */
export interface LabelAddress {
  name: string;
  line1?: string;
  line2?: string;
  postalCode?: string;
  city?: string;
  country?: string;
  phone?: string;
}

/** What a carrier needs to book a shipment and print its label. */
export interface LabelRequest {
  carrier: { id: string; name: string; trackingUrlTemplate: string | null };
  service: string;
  /** The shipment's unique reference (the fulfillment number): carriers key their bookings on it. */
  reference: string;
  orderNumber: string;
  sender: LabelAddress;
  recipient: LabelAddress;
  parcels: readonly Parcel[];
  /** 0, or how many tracking numbers were already found taken for this shipment (ask for another one). */
  attempt: number;
  /** When the label is printed (the command's clock). */
  printedAt: Date;
}

export interface CreatedLabel {
  /** The shipment's tracking number (its first parcel's). */
  trackingNumber: string;
  /** One per parcel, in the order of the request. */
  parcelTrackingNumbers: string[];
  /** The carrier's own tracking page, when it gives one (else the carrier's URL template is used). */
  trackingUrl?: string;
  /** The label document, one page per parcel. */
  pdf: Uint8Array;
}

/**
 * A carrier integration: books the shipment and returns its label. Adapters that call a carrier's API
 * answer a Failure when the carrier refuses (address not served, parcel too heavy); a thrown error means
 * the carrier could not be reached. Either way the ship step writes nothing and answers label_failed.
 */
export interface CarrierAdapter {
  readonly id: string;
  createLabel(req: LabelRequest): Promise<Result<CreatedLabel>>;
}

/** The adapters by carrier id; carriers without their own use the default (the built-in PDF label). */
export interface CarrierAdapters {
  forCarrier(carrierId: string): CarrierAdapter;
}

export function carrierAdapterRegistry(adapters: readonly CarrierAdapter[], fallback: CarrierAdapter): CarrierAdapters {
  const byId = new Map(adapters.map((a) => [a.id, a]));
  if (byId.size !== adapters.length) throw new Error('two carrier adapters share an id');
  return { forCarrier: (carrierId) => byId.get(carrierId) ?? fallback };
}
