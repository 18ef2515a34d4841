import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldErrors } from './form';

/**
 * Load a resource, edit a draft of its PUT/PATCH body, send it back: the draft starts as the loaded
 * value, `dirty` says whether it differs, a successful save replaces the loaded value with the answer
 * (and refreshes the lists under `invalidate`), a refusal gives per-field messages.
 */
export function useEditor<T, D>(opts: {
  queryKey: QueryKey;
  load: () => Promise<T>;
  toDraft: (value: T) => D;
  /** Sends the draft; `loaded` is the value it started from (a PATCH sends only the differences). */
  save: (draft: D, loaded: T | undefined) => Promise<T>;
  invalidate?: QueryKey[];
  enabled?: boolean;
  /** The draft while nothing is loaded (a resource being created). */
  initial?: D;
  /** How to write the API's limit of a field shown in other units (see useFieldErrors). */
  limits?: Record<string, (limit: number) => string>;
  onSaved?: (saved: T) => void;
}) {
  const { t } = useTranslation('settings');
  const client = useQueryClient();
  const query = useQuery({ queryKey: opts.queryKey, queryFn: opts.load, enabled: opts.enabled ?? true });
  const base = useMemo(() => (query.data === undefined ? opts.initial : opts.toDraft(query.data)), [query.data]);
  const [edited, setEdited] = useState<D | undefined>(undefined);
  const draft = edited ?? base;
  const mutation = useMutation({
    mutationFn: (d: D) => opts.save(d, query.data),
    onSuccess: async (saved) => {
      // A created resource lives under its own key from now on, not under the creation form's.
      if (opts.enabled !== false) client.setQueryData(opts.queryKey, saved);
      setEdited(undefined);
      notifications.show({ color: 'teal', message: t('form.saved') });
      await Promise.all((opts.invalidate ?? []).map((queryKey) => client.invalidateQueries({ queryKey })));
      opts.onSaved?.(saved);
    },
  });
  const fieldErrors = useFieldErrors(mutation.error, opts.limits);
  return {
    query,
    draft,
    /** Changes the draft from its current value. */
    update: (change: (d: D) => D) => {
      if (draft !== undefined) setEdited(change(draft));
    },
    reset: () => {
      setEdited(undefined);
      mutation.reset();
    },
    dirty: edited !== undefined && JSON.stringify(edited) !== JSON.stringify(base),
    save: () => draft !== undefined && mutation.mutate(draft),
    mutation,
    fieldErrors,
  };
}
