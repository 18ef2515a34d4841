import type { Query } from '../api/client';

/** GET /v1/orders items. */
export interface OrderSummary {
  id: string;
  number: string;
  channel: string;
  channelType: string;
  externalId: string | null;
  status: string;
  customerId: string | null;
  email: string | null;
  customerName: string | null;
  deliveryMethod: string;
  originStoreId: string | null;
  pickupLocationId: string | null;
  currency: string;
  totalMinor: number;
  promiseLatest: string | null;
  createdAt: string;
}

export const DELIVERY_METHODS = ['ship', 'pickup', 'reserve_and_collect', 'carry_out'] as const;

/** What the search text is matched against (GET /v1/orders takes each as its own exact filter). */
export const SEARCH_KINDS = ['q', 'email', 'phone'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** The list's filters, named as in the page URL (shareable links) — all optional. */
export const FILTER_PARAMS = ['status', 'channel', 'location', 'method', 'from', 'to'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

/** An e-mail has an @; a phone is digits with the usual separators; anything else is a number or an external id. */
export function guessSearchKind(text: string): SearchKind {
  if (text.includes('@')) return 'email';
  if (/^\+?[0-9 ().-]+$/.test(text) && text.replace(/\D/g, '').length >= 6) return 'phone';
  return 'q';
}

/** The search in the URL, if any: which kind and its text. */
export function searchOf(params: URLSearchParams): { kind: SearchKind; text: string } | undefined {
  for (const kind of SEARCH_KINDS) {
    const text = params.get(kind);
    if (text) return { kind, text };
  }
  return undefined;
}

/** Midnight starting a local day ('YYYY-MM-DD') in the browser's zone, plus `days`, as an instant. */
function localMidnight(date: string, days = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).toISOString();
}

/** The API query of the page URL: days become instants (from the first to the end of the last day). */
export function apiQuery(params: URLSearchParams): Query {
  const from = params.get('from');
  const to = params.get('to');
  return {
    q: params.get('q'),
    customerEmail: params.get('email'),
    phone: params.get('phone'),
    status: params.get('status'),
    channel: params.get('channel'),
    locationId: params.get('location'),
    deliveryMethod: params.get('method'),
    createdFrom: from ? localMidnight(from) : undefined,
    createdTo: to ? localMidnight(to, 1) : undefined,
  };
}

export const hasCriteria = (params: URLSearchParams): boolean => [...SEARCH_KINDS, ...FILTER_PARAMS].some((k) => params.get(k));
