import { Alert, Button, Card, Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useActionErrorText } from './api';

/** A card of the order page with its heading (the section is named by it for screen readers). */
export function Section({ id, title, icon, children }: { id: string; title: string; icon?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Group gap="xs" mb="sm">
        {icon}
        <Title order={3} size="h4" id={id}>
          {title}
        </Title>
      </Group>
      {children}
    </Card>
  );
}

/** The end of an action dialog: why the action failed (plain words), close without change, confirm. */
export function DialogFooter(props: { error: unknown; failed: string; pending: boolean; disabled: boolean; confirm: string; color?: string; onClose(): void; onConfirm(): void }) {
  const { t } = useTranslation('orderDetail');
  const errorText = useActionErrorText();
  return (
    <>
      {props.error ? (
        <Alert color="red" role="alert" title={props.failed}>
          {errorText(props.error)}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onClose}>
          {t('dialog.keep')}
        </Button>
        <Button color={props.color} onClick={props.onConfirm} disabled={props.disabled} loading={props.pending}>
          {props.confirm}
        </Button>
      </Group>
    </>
  );
}
