import bwipjs from 'bwip-js';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { trackingNumber, trackingUrl } from '../../domain/fulfillment/tracking-number.js';
import { ok } from '../../domain/shared/result.js';
import type { CarrierAdapter, LabelAddress, LabelRequest } from './carrier-adapter.js';

/** A6 portrait in points (105 × 148 mm), the size of thermal label printers and of a folded A4 quarter. */
const A6: [number, number] = [297.64, 419.53];
const MARGIN = 14;
const GREY = rgb(0.35, 0.35, 0.35);

/**
 * The built-in carrier adapter: tracking numbers from tracking-number.ts (deterministic per carrier and
 * shipment) and a printable A6 PDF, one page per parcel, with sender, recipient, service, the parcel's
 * weight, order and fulfillment numbers and a Code 128 barcode of the parcel's tracking number. It books
 * nothing with the carrier: it is the label of a location that hands parcels over under its own account.
 */
export const pdfLabelAdapter: CarrierAdapter = {
  id: 'pdf-label',
  async createLabel(req) {
    const numbers = req.parcels.map((_, i) => trackingNumber(req.carrier.id, req.reference, i + 1, req.attempt));
    const doc = await PDFDocument.create();
    doc.setTitle(`Shipping label ${numbers[0]}`);
    doc.setProducer('Ordo');
    doc.setCreator('Ordo');
    doc.setCreationDate(req.printedAt);
    doc.setModificationDate(req.printedAt);
    const fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
    for (const [i, parcel] of req.parcels.entries()) {
      const png = await bwipjs.toBuffer({ bcid: 'code128', text: numbers[i]!, scale: 3, height: 18, includetext: false });
      const page = doc.addPage(A6);
      drawPage(page, fonts, req, { index: i, count: req.parcels.length, weightGrams: parcel.weightGrams, number: numbers[i]! });
      const image = await doc.embedPng(png);
      const width = A6[0] - 2 * MARGIN;
      const height = Math.min(70, (image.height / image.width) * width);
      page.drawImage(image, { x: MARGIN, y: MARGIN + 22, width, height });
    }
    const url = trackingUrl(req.carrier.trackingUrlTemplate, numbers[0]!);
    return ok({ trackingNumber: numbers[0]!, parcelTrackingNumbers: numbers, ...(url ? { trackingUrl: url } : {}), pdf: await doc.save() });
  },
};

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

function drawPage(page: PDFPage, fonts: Fonts, req: LabelRequest, parcel: { index: number; count: number; weightGrams: number; number: string }): void {
  const width = A6[0] - 2 * MARGIN;
  let y = A6[1] - MARGIN;
  const line = (text: string, size: number, font: PDFFont = fonts.regular, gap = 2, color = rgb(0, 0, 0)) => {
    y -= size;
    page.drawText(fit(font, text, size, width), { x: MARGIN, y, size, font, color });
    y -= gap;
  };
  const rule = () => {
    y -= 4;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: A6[0] - MARGIN, y }, thickness: 1 });
    y -= 6;
  };

  line(`${req.carrier.name} · ${req.service.toUpperCase()}`, 14, fonts.bold, 4);
  line(`Parcel ${parcel.index + 1}/${parcel.count} · ${kilograms(parcel.weightGrams)}`, 10, fonts.bold);
  rule();
  line('FROM', 7, fonts.bold, 2, GREY);
  for (const text of addressLines(req.sender)) line(text, 8);
  rule();
  line('TO', 7, fonts.bold, 2, GREY);
  line(req.recipient.name, 12, fonts.bold, 3);
  for (const text of [req.recipient.line1, req.recipient.line2]) if (text) line(text, 10);
  line([req.recipient.postalCode, req.recipient.city].filter(Boolean).join(' '), 15, fonts.bold, 3);
  if (req.recipient.country) line(req.recipient.country, 10);
  if (req.recipient.phone) line(req.recipient.phone, 9);
  rule();
  line(`Order ${req.orderNumber}`, 9);
  line(`Fulfillment ${req.reference}`, 9);
  line(`Printed ${req.printedAt.toISOString().slice(0, 10)}`, 7, fonts.regular, 2, GREY);
  const size = 12;
  const text = fit(fonts.bold, parcel.number, size, width);
  page.drawText(text, { x: MARGIN + (width - fonts.bold.widthOfTextAtSize(text, size)) / 2, y: MARGIN + 6, size, font: fonts.bold });
}

function addressLines(a: LabelAddress): string[] {
  return [a.name, a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), a.country].filter((s): s is string => !!s);
}

function kilograms(grams: number): string {
  return `${(grams / 1000).toFixed(3).replace(/0+$/, '').replace(/\.$/, '')} kg`;
}

/**
 * The text as the font can print it, cut to the width: the standard PDF fonts only know Latin-1-like
 * characters (WinAnsi), so others lose their accents (ő → o) or become '?', instead of failing the label.
 */
function fit(font: PDFFont, text: string, size: number, width: number): string {
  let out = '';
  for (const ch of text.replace(/[\u0000-\u001f\u007f]/g, ' ')) out += encodable(font, ch) ? ch : [...ch.normalize('NFD')].find((c) => encodable(font, c)) ?? '?';
  while (out.length > 1 && font.widthOfTextAtSize(out, size) > width) out = out.slice(0, -2) + '…';
  return out;
}

function encodable(font: PDFFont, ch: string): boolean {
  try {
    font.encodeText(ch);
    return true;
  } catch {
    return false;
  }
}
