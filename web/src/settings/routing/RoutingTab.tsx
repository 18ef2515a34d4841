import { Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useFormat } from '../../format';
import { useChannels } from '../../inventory/queries';
import { EmptyState, ErrorAlert, Loading } from '../../ui/feedback';
import { NameWithId } from '../parts';
import { useCanEdit } from '../permissions';
import { useCostCurrency } from '../queries';
import { POLICY_METHODS, type Assignment, type PolicyVersion } from '../types';
import { describeRules } from './rules';

export const routingKey = ['routing-policies'] as const;
export const loadRouting = () => api.get<{ items: PolicyVersion[]; assignments: Assignment[] }>('/v1/routing-policies');

/** Which policy sources each channel's orders, per delivery method; "default" = the promise settings' cost model. */
function Assignments({ policies, assignments }: { policies: PolicyVersion[]; assignments: Assignment[] }) {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const canEdit = useCanEdit('routing');
  const client = useQueryClient();
  const channels = useChannels();
  const change = useMutation({
    mutationFn: ({ channelId, method, policyId }: { channelId: string; method: string; policyId: string | null }) => {
      const path = `/v1/routing-policy-assignments/${encodeURIComponent(channelId)}/${method}`;
      return policyId ? api.put(path, { policyId }) : api.delete(path);
    },
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('form.saved') });
      await client.invalidateQueries({ queryKey: routingKey });
    },
  });
  if (channels.isPending) return <Loading />;
  if (channels.isError) return <ErrorAlert error={channels.error} />;
  const DEFAULT = '';
  const choices = [{ value: DEFAULT, label: t('routing.default') }, ...policies.map((p) => ({ value: p.id, label: p.name }))];
  const find = (channelId: string, method: string) => assignments.find((a) => a.channelId === channelId && a.deliveryMethod === method);
  return (
    <Card withBorder>
      <Title order={3} mb={4}>
        {t('routing.assignments')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('routing.assignmentsHelp')}
      </Text>
      {change.isError && <ErrorAlert error={change.error} />}
      <Table.ScrollContainer minWidth={720}>
        <Table aria-label={t('routing.assignments')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('routing.channel')}</Table.Th>
              {POLICY_METHODS.map((m) => (
                <Table.Th key={m}>{tc(`method.${m}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {channels.data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                {POLICY_METHODS.map((m) => {
                  const a = find(c.id, m);
                  return (
                    <Table.Td key={m}>
                      <Select
                        aria-label={t('routing.assignmentOf', { channel: c.name, method: tc(`method.${m}`) })}
                        data={choices}
                        value={a?.policyId ?? DEFAULT}
                        allowDeselect={false}
                        disabled={!canEdit || change.isPending}
                        onChange={(v) => change.mutate({ channelId: c.id, method: m, policyId: v || null })}
                        size="xs"
                      />
                      {a?.pinnedVersion != null && (
                        <Text size="xs" c="dimmed">
                          {t('routing.pinned', { version: a.pinnedVersion })}
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** Routing policies (each save is a new version) and where they apply. */
export function RoutingTab() {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  const currency = useCostCurrency();
  const canEdit = useCanEdit('routing');
  const routing = useQuery({ queryKey: routingKey, queryFn: loadRouting });
  if (routing.isPending) return <Loading />;
  if (routing.isError) return <ErrorAlert error={routing.error} onRetry={() => void routing.refetch()} />;
  const { items, assignments } = routing.data;
  return (
    <Stack>
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={3}>{t('routing.policies')}</Title>
          {canEdit && (
            <Button component={Link} to="/bo/settings/routing/new" variant="light" leftSection={<IconPlus size={16} />}>
              {t('routing.new')}
            </Button>
          )}
        </Group>
        <Text size="sm" c="dimmed" mb="sm">
          {t('routing.policiesHelp')}
        </Text>
        {items.length === 0 ? (
          <EmptyState title={t('routing.none')} />
        ) : (
          <Table striped aria-label={t('routing.policies')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('routing.name')}</Table.Th>
                <Table.Th>{t('routing.version')}</Table.Th>
                <Table.Th>{t('routing.rules')}</Table.Th>
                <Table.Th>{t('routing.changed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <NameWithId to={`/bo/settings/routing/${encodeURIComponent(p.id)}`} name={p.name} id={p.id} />
                  </Table.Td>
                  <Table.Td>v{p.version}</Table.Td>
                  <Table.Td>{describeRules(p.rules, t, (m) => fmt.money(m, currency))}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{fmt.dateTime(p.createdAt)}</Text>
                    <Text size="xs" c="dimmed">
                      {p.createdBy}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Assignments policies={items} assignments={assignments} />
    </Stack>
  );
}
