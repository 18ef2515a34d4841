import { Alert, Button, Group, List, NumberInput, Text, type NumberInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useErrorText } from '../ui/feedback';

/** Field path (dotted: `address.postalCode`, `services.0.cutoff`) -> what is wrong with it, in plain words. */
export type FieldErrors = Record<string, string>;

interface SchemaIssue {
  instancePath?: string;
  keyword?: string;
  params?: { limit?: number; missingProperty?: string; type?: string };
}

/** Keywords that only echo another error on the same field (a `X | null` union reports three). */
const ECHOES = new Set(['anyOf', 'oneOf']);

/**
 * Reads the API's answer to a write into per-field messages: schema errors (400 validation_failed,
 * `details` = the validator's list) and business errors that name a field (`details.field`).
 */
export function useFieldErrors(error: unknown, limits: Record<string, (limit: number) => string> = {}): FieldErrors {
  const { t } = useTranslation('settings');
  if (!(error instanceof ApiError)) return {};
  const out: FieldErrors = {};
  if (Array.isArray(error.details)) {
    for (const issue of error.details as SchemaIssue[]) {
      const keyword = issue.keyword ?? '';
      if (ECHOES.has(keyword) || keyword === 'additionalProperties') continue;
      const base = (issue.instancePath ?? '').split('/').filter(Boolean);
      const path = [...base, ...(keyword === 'required' && issue.params?.missingProperty ? [issue.params.missingProperty] : [])].join('.');
      // "must be null" next to a real reason (a number out of range) says nothing more.
      if (keyword === 'type' && issue.params?.type === 'null' && out[path]) continue;
      if (out[path] && !(out[path] === t('invalid.type'))) continue;
      // A field shown in other units than the API's (a ratio as a percent) states its limit in those.
      const raw = issue.params?.limit;
      const limit = raw !== undefined && limits[path] ? limits[path](raw) : raw;
      out[path] = i18nIssue(t, keyword, limit);
    }
  } else if (error.details && typeof error.details === 'object' && 'field' in error.details) {
    out[String((error.details as { field: unknown }).field)] = error.message;
  }
  return out;
}

function i18nIssue(t: (key: string, opts?: Record<string, unknown>) => string, keyword: string, limit: number | string | undefined): string {
  switch (keyword) {
    case 'required':
      return t('invalid.required');
    case 'minLength':
      return limit === 1 ? t('invalid.required') : t('invalid.minLength', { limit });
    case 'maxLength':
      return t('invalid.maxLength', { limit });
    case 'minimum':
      return t('invalid.minimum', { limit });
    case 'exclusiveMinimum':
      return t('invalid.exclusiveMinimum', { limit });
    case 'maximum':
      return t('invalid.maximum', { limit });
    case 'exclusiveMaximum':
      return t('invalid.exclusiveMaximum', { limit });
    case 'pattern':
    case 'format':
      return t('invalid.format');
    case 'minItems':
      return t('invalid.minItems', { limit });
    case 'maxItems':
      return t('invalid.maxItems', { limit });
    case 'uniqueItems':
      return t('invalid.uniqueItems');
    default:
      return t('invalid.type');
  }
}

/**
 * The refusal of a save, beside its form: the error in plain words, then each field with its label and
 * what is wrong (fields also show their own message under the input).
 */
export function FormErrorAlert({ error, fields, labels }: { error: unknown; fields: FieldErrors; labels: Record<string, string> }) {
  const { t } = useTranslation('settings');
  const text = useErrorText();
  if (!error) return null;
  const entries = Object.entries(fields);
  const labelOf = (path: string) => labels[path] ?? labels[path.replace(/\.\d+(\.|$)/g, '$1').replace(/\.$/, '')] ?? path;
  return (
    <Alert color="red" role="alert" title={t('form.notSaved')}>
      {entries.length === 0 ? (
        <Text size="sm">{text(error)}</Text>
      ) : (
        <List size="sm">
          {entries.map(([path, message]) => (
            <List.Item key={path}>
              {labelOf(path)}: {message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** Amounts are minor units in the API (cents); people type euros. */
export function MoneyInput({ value, onChange, currency = 'EUR', ...rest }: Omit<NumberInputProps, 'value' | 'onChange'> & { value: number | undefined; onChange: (minor: number | undefined) => void; currency?: string }) {
  return (
    <NumberInput
      {...rest}
      value={value === undefined ? '' : value / 100}
      onChange={(v) => onChange(v === '' || v === undefined ? undefined : Math.round(Number(v) * 100))}
      decimalScale={2}
      fixedDecimalScale={value !== undefined}
      rightSection={<Text size="xs" c="dimmed">{currency}</Text>}
      rightSectionWidth={44}
    />
  );
}

/** A NumberInput whose empty state means "not set" (undefined), for optional settings. */
export const numberOrUndefined = (v: number | string): number | undefined => (v === '' || Number.isNaN(Number(v)) ? undefined : Number(v));

/** Save (and cancel) at the foot of an edit form; read-only users see neither. */
export function SaveBar({ canEdit, saving, dirty, onCancel }: { canEdit: boolean; saving: boolean; dirty: boolean; onCancel?: () => void }) {
  const { t } = useTranslation();
  if (!canEdit) return null;
  return (
    <Group justify="flex-end">
      {onCancel && (
        <Button variant="default" onClick={onCancel} disabled={saving}>
          {t('actions.cancel')}
        </Button>
      )}
      <Button type="submit" loading={saving} disabled={!dirty}>
        {t('actions.save')}
      </Button>
    </Group>
  );
}
