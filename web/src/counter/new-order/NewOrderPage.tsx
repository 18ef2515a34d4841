import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, newIdempotencyKey } from '../../api/client';
import { useSession } from '../../auth/session';
import { useFormat } from '../../format';
import { useStoreLocation } from '../../shell/store-location';
import { Loading, PageHeader } from '../../ui/feedback';
import { findProduct, useCurrency, usePosChannel } from '../api';
import { CounterError, Section } from '../shared';
import { CartSection } from './CartSection';
import { Confirmation } from './Confirmation';
import { CustomerSection } from './CustomerSection';
import { DeliverySection } from './DeliverySection';
import { addToCart, cartTotal, draftProblems, orderBody, type CartLine, type CustomerDraft, type DeliveryDraft, type DraftProblem, type PlacedOrder } from './draft';

/**
 * Order in store (endless aisle): a cart at catalogue prices, the customer, then home delivery, pickup
 * in a store, or carry out from this store; recorded on the POS channel with this store and associate
 * as origin, paid at the counter (manual provider). One Idempotency-Key per submission, kept while the
 * same order is retried, so a lost answer never takes the order twice.
 */
export function NewOrderPage() {
  const { t, i18n } = useTranslation('counter');
  const fmt = useFormat();
  const session = useSession();
  const { locationId, location } = useStoreLocation();
  const pos = usePosChannel();
  const currency = useCurrency();
  const [params, setParams] = useSearchParams();

  const freshCustomer = (): CustomerDraft => ({ name: '', email: '', phone: '', language: i18n.language === 'en' ? 'en' : 'fr' });
  const freshDelivery = (): DeliveryDraft => ({
    method: 'ship',
    address: { line1: '', postalCode: '', city: '', country: location.address.country ?? 'FR' },
    service: null,
    pickupNear: location.address.postalCode ?? '',
    pickupLocationId: null,
    pickupName: null,
  });
  const [cart, setCart] = useState<CartLine[]>([]);
  const [customer, setCustomer] = useState<CustomerDraft>(freshCustomer);
  const [delivery, setDelivery] = useState<DeliveryDraft>(freshDelivery);
  const [paymentReference, setPaymentReference] = useState('');
  const [showProblems, setShowProblems] = useState(false);
  const attempt = useRef<{ body: string; key: string } | null>(null);

  // "Order it for the customer" from the stock lookup arrives with ?sku=: that product starts the cart.
  const prefill = params.get('sku');
  const prefilled = useQuery({ queryKey: ['product', prefill], queryFn: () => findProduct(prefill!), enabled: !!prefill });
  useEffect(() => {
    if (prefill && prefilled.isSuccess) {
      if (prefilled.data) setCart((c) => (c.some((l) => l.product.sku === prefill) ? c : addToCart(c, prefilled.data!)));
      setParams({}, { replace: true });
    }
  }, [prefill, prefilled.isSuccess, prefilled.data, setParams]);

  const place = useMutation({
    mutationFn: ({ body, key }: { body: unknown; key: string }) => api.post<PlacedOrder>('/v1/orders', body, { idempotencyKey: key }),
  });

  const problems = draftProblems(cart, customer, delivery);
  const problem = (p: DraftProblem) => (showProblems && problems.includes(p) ? t(`problems.${p}`) : undefined);

  // Not a form: Enter in a field (or a scanner) never sends it by accident.
  const submit = () => {
    setShowProblems(true);
    if (problems.length > 0 || !pos.data || !session) return;
    const body = orderBody({ channel: pos.data.id, currency, storeId: locationId, associate: session.user.email, cart, customer, delivery, paymentReference });
    const json = JSON.stringify(body);
    // Same order again (a retry after a lost answer or an error): same key, so Ordo answers the first result.
    if (attempt.current?.body !== json) attempt.current = { body: json, key: newIdempotencyKey() };
    place.mutate({ body, key: attempt.current.key });
  };

  const startOver = () => {
    setCart([]);
    setCustomer(freshCustomer());
    setDelivery(freshDelivery());
    setPaymentReference('');
    setShowProblems(false);
    attempt.current = null;
    place.reset();
    window.scrollTo(0, 0);
  };

  if (pos.isPending) return <Loading />;
  if (pos.isError) return <CounterError error={pos.error} onRetry={() => void pos.refetch()} />;
  if (place.data) return <Confirmation order={place.data} pickupName={delivery.pickupName} onNext={startOver} />;

  return (
    <Stack gap="md" pb="md">
      <PageHeader title={t('order.title')} />
      {!pos.data && <Alert color="red">{t('order.noPosChannel')}</Alert>}
      {prefill && prefilled.isFetching && <Loading />}
      <CartSection cart={cart} currency={currency} onChange={setCart} />
      {problem('cartEmpty') && (
        <Alert color="red" role="alert">
          {problem('cartEmpty')}
        </Alert>
      )}
      <CustomerSection customer={customer} onChange={setCustomer} errors={{ email: problem('emailInvalid'), phone: problem('phoneInvalid'), contact: problem('contactNeeded') }} />
      <DeliverySection
        channel={pos.data?.id}
        cart={cart}
        delivery={delivery}
        onChange={setDelivery}
        errors={{ address: problem('addressIncomplete'), service: problem('serviceNeeded'), store: problem('storeNeeded') }}
      />
      <Section title={t('order.payment')}>
        <TextInput
          label={t('order.paymentReference')}
          description={t('order.paymentHint')}
          size="lg"
          autoComplete="off"
          value={paymentReference}
          onChange={(e) => setPaymentReference(e.currentTarget.value)}
        />
      </Section>
      {place.isError && <CounterError error={place.error} />}
      {showProblems && problems.length > 0 && (
        <Alert color="orange" role="alert">
          {t('problems.summary')}
        </Alert>
      )}
      <Button size="xl" fullWidth onClick={submit} loading={place.isPending} disabled={!pos.data}>
        {cart.length > 0 ? t('order.submitWithTotal', { total: fmt.money(cartTotal(cart, currency), currency) }) : t('order.submit')}
      </Button>
    </Stack>
  );
}
