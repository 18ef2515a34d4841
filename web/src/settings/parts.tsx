import { Anchor, Badge, Stack, Text } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../ui/feedback';
import { FormErrorAlert, SaveBar, type FieldErrors } from './form';

/** A list's first cell: the name linking to its form, the id under it. */
export function NameWithId({ to, name, id }: { to: string; name: string; id?: string }) {
  return (
    <>
      <Anchor component={Link} to={to}>
        {name}
      </Anchor>
      {id && (
        <Text size="xs" c="dimmed" ff="monospace">
          {id}
        </Text>
      )}
    </>
  );
}

export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation('settings');
  return (
    <Badge color={active ? 'teal' : 'gray'} variant="light">
      {active ? t('active') : t('inactive')}
    </Badge>
  );
}

export function ReadOnlyNote({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('settings');
  return canEdit ? null : (
    <Text size="sm" c="dimmed" mb="sm">
      {t('readOnly')}
    </Text>
  );
}

/**
 * The frame of every settings form: a way back to its list, the title, the fields (disabled for a
 * read-only user), the refusal of a save beside them and the save bar.
 */
export function EditForm(props: {
  label: string;
  back: { to: string; label: string };
  title: string;
  badges?: ReactNode;
  canEdit: boolean;
  editor: { save: () => void; reset: () => void; dirty: boolean; fieldErrors: FieldErrors; mutation: { error: unknown; isPending: boolean } };
  labels: Record<string, string>;
  /** false keeps Save disabled (a required value the draft lacks). */
  ready?: boolean;
  children: ReactNode;
  after?: ReactNode;
}) {
  const { editor } = props;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    editor.save();
  };
  return (
    <form onSubmit={submit} aria-label={props.label}>
      <Anchor component={Link} to={props.back.to} size="sm">
        ← {props.back.label}
      </Anchor>
      <PageHeader title={props.title}>{props.badges}</PageHeader>
      <fieldset disabled={!props.canEdit} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack>
          <ReadOnlyNote canEdit={props.canEdit} />
          {props.children}
          <FormErrorAlert error={editor.mutation.error} fields={editor.fieldErrors} labels={props.labels} />
          <SaveBar canEdit={props.canEdit} saving={editor.mutation.isPending} dirty={editor.dirty && (props.ready ?? true)} onCancel={editor.dirty ? editor.reset : undefined} />
        </Stack>
      </fieldset>
      {props.after}
    </form>
  );
}
