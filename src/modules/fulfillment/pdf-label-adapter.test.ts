import { PDFDocument } from 'pdf-lib';
import { PDFParse } from 'pdf-parse';
import { describe, expect, it } from 'vitest';
import { trackingNumber } from '../../domain/fulfillment/tracking-number.js';
import type { LabelRequest } from './carrier-adapter.js';
import { pdfLabelAdapter } from './pdf-label-adapter.js';

const request: LabelRequest = {
  carrier: { id: 'post', name: 'La Poste', trackingUrlTemplate: 'https://t.example/{trackingNumber}' },
  service: 'express',
  reference: 'ORD-2026-000042-F2',
  orderNumber: 'ORD-2026-000042',
  sender: { name: 'Łódź Piotrkowska 日本', line1: '1 ulica', postalCode: '90-001', city: 'Łódź', country: 'PL' },
  recipient: { name: `Zoë Ő'Brien ${'très long nom '.repeat(8)}`, line1: '3 quai de Saône', postalCode: '69002', city: 'Lyon', country: 'FR', phone: '+33 4 00 00 00 00' },
  parcels: [{ weightGrams: 1250 }, { weightGrams: 80 }, { weightGrams: 70_000 }],
  attempt: 0,
  printedAt: new Date('2026-11-23T09:00:00Z'),
};

describe('built-in PDF label', () => {
  it('prints one A6 page per parcel with its own tracking number and weight, whatever the alphabet of the addresses', async () => {
    const made = await pdfLabelAdapter.createLabel(request);
    if (!made.ok) throw new Error(made.message);
    const numbers = [1, 2, 3].map((p) => trackingNumber('post', request.reference, p));
    expect(made.value).toMatchObject({ trackingNumber: numbers[0], parcelTrackingNumbers: numbers, trackingUrl: `https://t.example/${numbers[0]}` });
    const doc = await PDFDocument.load(made.value.pdf);
    expect(doc.getPages().map((p) => p.getSize())).toEqual(Array(3).fill({ width: 297.64, height: 419.53 }));
    const text = (await new PDFParse({ data: new Uint8Array(made.value.pdf) }).getText()).text;
    for (const s of [...numbers, '1.25 kg', '0.08 kg', '70 kg', 'Parcel 3/3', 'EXPRESS', '69002 Lyon', "Zoë O'Brien", '?ódz Piotrkowska ??', '90-001 ?ódz', request.reference, request.orderNumber]) expect(text).toContain(s);
    expect(text).toContain('…');
  });

  it('gives the same tracking numbers for the same shipment, others for the next attempt', async () => {
    const [a, b, c] = await Promise.all([pdfLabelAdapter.createLabel(request), pdfLabelAdapter.createLabel(request), pdfLabelAdapter.createLabel({ ...request, attempt: 1 })]);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(b.value.parcelTrackingNumbers).toEqual(a.value.parcelTrackingNumbers);
    expect(c.value.trackingNumber).not.toBe(a.value.trackingNumber);
  });
});
