import { describe, expect, it } from 'vitest';
import { customers, posOrder, samples } from '../../../test/notifications/order-event-samples.js';
import { CUSTOMER_EVENT_TYPES, render, templateFor, type CustomerEventType, type RenderOptions } from './render.js';

const opts: RenderOptions = { timeZone: 'Europe/Paris', occurredAt: '2026-01-05T14:30:00Z', brand: 'Maison Ordo' };
const plain = (s: string) => s.replace(/[\u00a0\u202f\u2009]/g, ' ');
const renderAll = (type: CustomerEventType, locale: string) => render(type, samples({ ...customers.alice, locale })[type], opts);

describe('render', () => {
  it.each(CUSTOMER_EVENT_TYPES.flatMap((type) => [[type, 'fr-FR'] as const, [type, 'en-GB'] as const]))('%s in %s gives a complete e-mail and SMS', (type, locale) => {
    const out = renderAll(type, locale);
    expect(out.locale.language).toBe(locale.slice(0, 2));
    expect(out.email.subject).toContain('ORD-2026-000123');
    expect(out.email.text).toContain(locale === 'fr-FR' ? 'Bonjour Alice Martin,' : 'Hello Alice Martin,');
    expect(out.email.html).toMatch(new RegExp(`^<!DOCTYPE html>\\n<html lang="${locale.slice(0, 2)}">`));
    expect(out.email.html).toContain('ORD-2026-000123');
    expect(out.email.html).not.toContain('undefined');
    expect(out.email.text).not.toContain('undefined');
    expect(out.sms.length).toBeGreaterThan(20);
    expect(out.sms.length).toBeLessThanOrEqual(160);
    expect(out.sms).toContain('Maison Ordo');
  });

  it('writes French amounts and dates for a French customer, English ones for an English customer', () => {
    const fr = renderAll('order.confirmed', 'fr-FR');
    expect(fr.email.subject).toBe('Confirmation de votre commande ORD-2026-000123');
    expect(plain(fr.email.text)).toContain('Total : 49,90 €');
    expect(plain(fr.email.text)).toContain('Livraison estimée : mercredi 7 – jeudi 8 janvier');
    expect(plain(fr.email.text)).toContain('- 2 × T-shirt bleu (M)  39,90 €');
    const en = renderAll('order.confirmed', 'en-GB');
    expect(en.email.subject).toBe('Your order ORD-2026-000123 is confirmed');
    expect(plain(en.email.text)).toContain('Total: €49.90');
    expect(plain(en.email.text)).toContain('Estimated delivery: Wednesday 7 January – Thursday 8 January');
    expect(en.email.text).toContain('Shipping: Free');
  });

  it('falls back to French for a language we do not write', () => {
    const out = renderAll('order.shipped', 'de-DE');
    expect(out.locale).toEqual({ language: 'fr', tag: 'fr-FR' });
    expect(out.email.subject).toBe('Votre commande ORD-2026-000123 a été expédiée');
  });

  it('formats the order currency: GBP and JPY', () => {
    const gbp = render('order.refunded', samples(customers.bob, { currency: 'GBP' })['order.refunded'], opts);
    expect(gbp.email.subject).toBe('Refund of £49.90 for your order ORD-2026-000123');
    const jpy = render('order.refunded', { ...samples(customers.bob, { currency: 'JPY' })['order.refunded'], amountMinor: 4990 }, opts);
    expect(jpy.email.subject).toBe('Refund of JP¥4,990 for your order ORD-2026-000123');
    const jpyFr = render('order.refunded', { ...samples(customers.alice, { currency: 'JPY' })['order.refunded'], amountMinor: 4990 }, opts);
    expect(plain(jpyFr.email.subject)).toBe('Remboursement de 4 990 JPY pour votre commande ORD-2026-000123');
  });

  it('gives the pickup code and the deadline in the store time zone', () => {
    const out = renderAll('order.ready_for_pickup', 'fr-FR');
    expect(out.email.html).toContain('482913');
    expect(plain(out.email.text)).toContain('Code de retrait : 482913');
    expect(plain(out.email.text)).toContain('À retirer avant : lundi 12 janvier 2026 à 19:00');
    expect(out.email.text).toContain('Lyon Part-Dieu – 17 rue du Docteur Bouchut, 69003 Lyon');
    expect(out.sms).toBe('Maison Ordo : commande ORD-2026-000123 prête au magasin Lyon Part-Dieu. Code de retrait 482913, avant le 12 janv., 19:00.');
  });

  it('reminds of the pickup code and the deadline before the hold ends, in French and in English', () => {
    const fr = renderAll('order.pickup_reminder', 'fr-FR');
    expect(fr.template).toBe('pickup_reminder');
    expect(fr.email.subject).toBe('Rappel : votre commande ORD-2026-000123 vous attend');
    expect(fr.email.text).toContain('Votre commande vous attend toujours au magasin Lyon Part-Dieu');
    expect(plain(fr.email.text)).toContain('Code de retrait : 482913');
    expect(plain(fr.email.text)).toContain('À retirer avant : lundi 12 janvier 2026 à 19:00');
    expect(fr.sms).toBe('Maison Ordo : rappel, commande ORD-2026-000123 à retirer au magasin Lyon Part-Dieu. Code 482913, avant le 12 janv., 19:00.');
    const en = renderAll('order.pickup_reminder', 'en-GB');
    expect(en.email.subject).toBe('Reminder: your order ORD-2026-000123 is waiting for you');
    expect(plain(en.email.text)).toContain('Pickup code: 482913');
    expect(plain(en.email.text)).toContain('Collect before: Monday, 12 January 2026 at 19:00');
    expect(en.sms).toContain('Code 482913, collect before 12 Jan');
  });

  it('links the tracking page, and keeps a non-http tracking URL out of any href', () => {
    const shipped = samples(customers.bob)['order.shipped'];
    const out = render('order.shipped', shipped, opts);
    expect(out.email.html).toContain('href="https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"');
    expect(out.email.text).toContain('Track my parcel: https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901');
    const evil = render('order.shipped', { ...shipped, trackingUrl: 'javascript:alert(1)' }, opts);
    expect(evil.email.html).not.toContain('href="javascript');
    expect(evil.email.html).toContain('Track my parcel: javascript:alert(1)');
  });

  it('escapes every customer-supplied value in the HTML part', () => {
    const name = '<script>alert("x")</script> & <b>Bob</b>';
    const payload = samples({ ...customers.bob, name })['order.confirmed'];
    payload.lines[0]!.name = '<img src=x onerror=alert(1)>';
    const out = render('order.confirmed', payload, { ...opts, brand: 'O\'Brien & "Sons"' });
    expect(out.email.html).not.toMatch(/<script|<img|<b>/);
    expect(out.email.html).toContain('Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Bob&lt;/b&gt;,');
    expect(out.email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out.email.html).toContain('The O&#39;Brien &amp; &quot;Sons&quot; team');
    expect(out.email.text).toContain(`Hello ${name},`);
  });

  it('sends a digital receipt instead of a confirmation for a store order', () => {
    const fr = render('order.confirmed', posOrder(), opts);
    expect(fr.template).toBe('store_receipt');
    expect(fr.email.subject).toBe('Votre ticket de caisse ORD-2026-000123');
    expect(fr.email.text).toContain('Merci pour votre achat au magasin Lyon Part-Dieu.');
    expect(plain(fr.email.text)).toContain('Date d’achat : lundi 5 janvier 2026 à 15:30');
    expect(fr.email.text).not.toContain('Livraison');
    const en = render('order.confirmed', posOrder(customers.bob), opts);
    expect(en.email.subject).toBe('Your receipt ORD-2026-000123');
  });

  it('explains a cancellation by its reason, partial or whole', () => {
    const base = samples(customers.bob)['order.cancelled'];
    expect(render('order.cancelled', base, opts).email.text).toContain('As you asked, we have cancelled your order.');
    const partial = render('order.cancelled', { ...base, reason: 'out_of_stock', partial: true }, opts);
    expect(partial.email.subject).toBe('Items of your order ORD-2026-000123 were cancelled');
    expect(partial.email.text).toContain('the items below are no longer available');
    expect(render('order.cancelled', { ...base, reason: 'constructor' }, opts).email.text).toContain('This confirms that your order was cancelled.');
  });

  it('shows the new and the previous delivery estimate of a delayed order', () => {
    const out = renderAll('order.delayed', 'en-GB');
    expect(plain(out.email.text)).toContain('New estimated date: Monday 12 January – Tuesday 13 January');
    expect(plain(out.email.text)).toContain('Previously expected: Wednesday 7 January – Thursday 8 January');
  });

  it('tells a delay, at risk or late, exactly when it moves the date the customer was last given', () => {
    const moved = samples(customers.alice)['order.at_risk'];
    const confirmed = { ...moved, previousPromise: moved.newEta };
    const earlier = { ...moved, previousPromise: moved.newEta, newEta: moved.previousPromise };
    expect(templateFor('order.at_risk', moved)).toBe('order_delayed');
    expect(templateFor('order.delayed', moved)).toBe('order_delayed');
    for (const p of [confirmed, earlier]) {
      expect(templateFor('order.at_risk', p)).toBeUndefined();
      expect(templateFor('order.delayed', p)).toBeUndefined();
    }
    // One second later is a later date.
    expect(templateFor('order.delayed', { ...confirmed, newEta: { ...moved.newEta, latest: '2026-01-13T17:00:01Z' } })).toBe('order_delayed');
    expect(() => render('order.delayed', confirmed, opts)).toThrow('has no customer message');
  });

  it('adds the unsubscribe link when given, in both parts', () => {
    const url = 'https://shop.example/v1/notifications/unsubscribe?token=abc.def';
    const out = render('order.delayed', samples(customers.bob)['order.delayed'], { ...opts, unsubscribeUrl: url });
    expect(out.email.text).toContain(`Stop optional notifications: ${url}`);
    expect(out.email.html).toContain(`<a href="${url}"`);
  });

  it('links the order’s tracking page in the messages about its progress, in both parts', () => {
    const url = 'https://shop.example/app/track/AQID.sig';
    const withLink = (type: CustomerEventType, locale: string, payload = samples({ ...customers.alice, locale })[type]) => render(type, payload, { ...opts, trackingUrl: url });
    const fr = withLink('order.confirmed', 'fr-FR');
    expect(plain(fr.email.text)).toContain(`Suivre ma commande : ${url}`);
    expect(fr.email.html).toContain(`<a href="${url}" style="display:inline-block;padding:12px 20px;background:#18181b;`);
    for (const type of ['order.shipped', 'order.ready_for_pickup', 'order.pickup_reminder', 'order.delayed'] as const) {
      const en = withLink(type, 'en-GB');
      expect(en.email.text, type).toContain(`Follow my order: ${url}`);
      expect(en.email.html, type).toContain(`<a href="${url}"`);
      expect(en.sms, type).not.toContain(url);
    }
    // Shipped: the carrier's page stays the main button, the order's page comes second.
    const shipped = withLink('order.shipped', 'en-GB').email;
    expect(shipped.text.indexOf('Track my parcel:')).toBeLessThan(shipped.text.indexOf('Follow my order:'));
    expect(shipped.html).toContain(`<a href="${url}" style="display:inline-block;padding:11px 19px;border:1px solid #18181b;`);
    // Nothing left to follow: cancellations, refunds, a receipt of goods taken away.
    for (const type of ['order.cancelled', 'order.refunded'] as const) expect(withLink(type, 'en-GB').email.text, type).not.toContain(url);
    const carriedOut = render('order.confirmed', posOrder(), { ...opts, trackingUrl: url });
    expect(carriedOut.template).toBe('store_receipt');
    expect(carriedOut.email.text).not.toContain(url);
    const shipsLater = render('order.confirmed', { ...posOrder(), delivery: { method: 'ship', service: 'standard' } }, { ...opts, trackingUrl: url });
    expect(plain(shipsLater.email.text)).toContain(`Suivre ma commande : ${url}`);
    // A link that is not http(s) never becomes an href.
    expect(render('order.confirmed', samples(customers.bob)['order.confirmed'], { ...opts, trackingUrl: 'javascript:alert(1)' }).email.html).not.toContain('javascript:');
  });

  it('is deterministic', () => {
    for (const type of CUSTOMER_EVENT_TYPES) expect(renderAll(type, 'fr-FR')).toEqual(renderAll(type, 'fr-FR'));
  });
});
