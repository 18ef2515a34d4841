import { Alert, Button, Card, Group, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconBarcode } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useErrorText } from '../ui/feedback';
import { searchProducts, type Product } from './api';

/**
 * An API refusal in the counter's plain words when it has them (out of stock, return window closed…),
 * otherwise the app's general wording.
 */
export function CounterError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, i18n } = useTranslation('counter');
  const general = useErrorText();
  const known = error instanceof ApiError && i18n.exists(`errors.${error.code}`, { ns: 'counter' });
  return (
    <Alert color="red" icon={<IconAlertTriangle />} role="alert">
      <Stack gap="xs">
        <Text size="sm">{known ? t(`errors.${(error as ApiError).code}`) : general(error)}</Text>
        {onRetry && (
          <Group>
            <Button size="md" variant="light" color="red" onClick={onRetry}>
              {t('actions.retry', { ns: 'common' })}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** A titled block of a counter screen (one step of the flow on a phone). */
export function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <Card withBorder radius="md" p="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4">
            {title}
          </Title>
          {aside}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

/**
 * The SKU field of the counter: type a SKU, scan it (keyboard-wedge scanners type the code then Enter), or
 * type part of a name and tap one of the products found.
 */
export function ProductPicker({ onPick, submitLabel, autoFocus }: { onPick(product: Product): void; submitLabel: string; autoFocus?: boolean }) {
  const { t } = useTranslation('counter');
  const [term, setTerm] = useState('');
  const search = useMutation({
    mutationFn: (value: string) => searchProducts(value),
    onSuccess: (found) => {
      const only = found.matches.length === 1 ? found.matches[0] : undefined;
      const pick = found.exact ?? only;
      if (pick) {
        onPick(pick);
        setTerm('');
        search.reset();
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (term.trim()) search.mutate(term.trim());
  };
  const found = search.data && !search.data.exact && search.data.matches.length !== 1 ? search.data.matches : undefined;
  return (
    <Stack gap="xs">
      <form onSubmit={submit}>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label={t('picker.label')}
            placeholder={t('picker.placeholder')}
            leftSection={<IconBarcode size={20} />}
            size="lg"
            style={{ flex: 1 }}
            value={term}
            onChange={(e) => setTerm(e.currentTarget.value)}
            autoFocus={autoFocus}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
          />
          <Button type="submit" size="lg" loading={search.isPending}>
            {submitLabel}
          </Button>
        </Group>
      </form>
      {search.isError && <CounterError error={search.error} />}
      {found && found.length === 0 && (
        <Text c="dimmed" role="status">
          {t('picker.none', { term: search.variables })}
        </Text>
      )}
      {found && found.length > 0 && (
        <Stack gap={4} component="ul" aria-label={t('picker.results')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {found.map((p) => (
            <li key={p.sku}>
              <UnstyledButton
                onClick={() => {
                  onPick(p);
                  setTerm('');
                  search.reset();
                }}
                p="sm"
                w="100%"
                style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, minHeight: 48 }}
              >
                <Text fw={500}>{p.name}</Text>
                <Text size="sm" c="dimmed" ff="monospace">
                  {p.sku}
                </Text>
              </UnstyledButton>
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
