import { Button, Group, Paper, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import { IconSearch, IconX } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { DELIVERY_METHODS, FILTER_PARAMS, guessSearchKind, hasCriteria, SEARCH_KINDS, searchOf, type FilterParam, type SearchKind } from './order-list';
import { useChannelOptions, useLocationOptions } from './options';
import { common as commonWords } from '../i18n/common';

type SearchChoice = SearchKind | 'auto';
/** Every order status the apps have words for. */
const ORDER_STATUSES = Object.keys(commonWords.en.orderStatus);

/**
 * The search box and the filters of the order list. Everything is kept in the URL, so a filtered list is
 * a link to share and "back" from an order returns to it.
 */
export function OrderFilters() {
  const { t } = useTranslation('orders');
  const { t: common } = useTranslation();
  const [params, setParams] = useSearchParams();
  const channels = useChannelOptions();
  const locations = useLocationOptions();
  const current = searchOf(params);
  const [text, setText] = useState(current?.text ?? '');
  const [choice, setChoice] = useState<SearchChoice>(current?.kind ?? 'auto');
  // Follow the URL when it changes under the form (back, a shared link, reset).
  useEffect(() => {
    setText(current?.text ?? '');
    setChoice(current?.kind ?? 'auto');
  }, [current?.text, current?.kind]);

  const update = (change: (p: URLSearchParams) => void) =>
    setParams(
      (p) => {
        change(p);
        return p;
      },
      { replace: false },
    );
  const setFilter = (name: FilterParam, value: string | null) => update((p) => (value ? p.set(name, value) : p.delete(name)));
  const search = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    update((p) => {
      for (const k of SEARCH_KINDS) p.delete(k);
      if (value) p.set(choice === 'auto' ? guessSearchKind(value) : choice, value);
    });
  };
  const reset = () => update((p) => [...SEARCH_KINDS, ...FILTER_PARAMS].forEach((k) => p.delete(k)));

  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={search} role="search">
        <Group align="end" gap="sm" wrap="wrap">
          <TextInput
            label={t('search.label')}
            placeholder={t('search.placeholder')}
            aria-describedby="order-search-help"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            style={{ flex: '1 1 280px' }}
            leftSection={<IconSearch size={16} />}
          />
          <Select
            label={t('search.by')}
            data={(['auto', ...SEARCH_KINDS] as const).map((k) => ({ value: k, label: t(`search.${k}`) }))}
            value={choice}
            onChange={(v) => setChoice((v as SearchChoice | null) ?? 'auto')}
            allowDeselect={false}
            w={220}
          />
          <Button type="submit">{common('actions.search')}</Button>
        </Group>
        <Text id="order-search-help" size="xs" c="dimmed" mt={4}>
          {t('search.help')}
        </Text>
      </form>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 6 }} spacing="sm" mt="sm">
        <Select
          label={t('filters.status')}
          placeholder={t('filters.any')}
          data={ORDER_STATUSES.map((s) => ({ value: s, label: common(`orderStatus.${s}`) }))}
          value={params.get('status')}
          onChange={(v) => setFilter('status', v)}
          clearable
        />
        <Select
          label={t('filters.channel')}
          placeholder={t('filters.any')}
          data={channels.map((c) => ({ value: c.id, label: c.name }))}
          value={params.get('channel')}
          onChange={(v) => setFilter('channel', v)}
          clearable
          searchable
        />
        <Select
          label={t('filters.location')}
          placeholder={t('filters.any')}
          title={t('filters.locationHelp')}
          data={locations.map((l) => ({ value: l.id, label: l.name }))}
          value={params.get('location')}
          onChange={(v) => setFilter('location', v)}
          clearable
          searchable
        />
        <Select
          label={t('filters.method')}
          placeholder={t('filters.any')}
          data={DELIVERY_METHODS.map((m) => ({ value: m, label: common(`method.${m}`) }))}
          value={params.get('method')}
          onChange={(v) => setFilter('method', v)}
          clearable
        />
        <TextInput type="date" label={t('filters.from')} value={params.get('from') ?? ''} onChange={(e) => setFilter('from', e.currentTarget.value || null)} />
        <TextInput type="date" label={t('filters.to')} value={params.get('to') ?? ''} onChange={(e) => setFilter('to', e.currentTarget.value || null)} />
      </SimpleGrid>
      {hasCriteria(params) && (
        <Group justify="flex-end" mt="sm">
          <Button variant="subtle" leftSection={<IconX size={16} />} onClick={reset}>
            {common('actions.reset')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}
