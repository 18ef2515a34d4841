import { AppShell, Group, Select, Text, UnstyledButton } from '@mantine/core';
import { IconArrowBackUp, IconClipboardList, IconHandStop, IconPlus, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, Outlet, useLocation } from 'react-router';
import { useStoreLocation } from './store-location';
import { LanguageSwitch } from './LanguageSwitch';
import { UserMenu } from './UserMenu';

const TABS = [
  { to: '/store', label: 'nav.queue', icon: IconClipboardList, end: true },
  { to: '/store/handover', label: 'nav.handover', icon: IconHandStop },
  { to: '/store/stock', label: 'nav.stock', icon: IconSearch },
  { to: '/store/new-order', label: 'nav.newOrder', icon: IconPlus },
  { to: '/store/returns/new', label: 'nav.returns', icon: IconArrowBackUp },
] as const;

/** The store associate app: mobile first, a header with the store picker and large bottom tabs. */
export function StoreLayout() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const { locationId, choices, setLocationId } = useStoreLocation();
  return (
    <AppShell header={{ height: 56 }} footer={{ height: 68 }} padding="sm">
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Text fw={700}>Ordo</Text>
            {choices.length > 1 ? (
              <Select
                aria-label="store"
                size="sm"
                w={170}
                data={choices}
                value={locationId}
                onChange={(v) => v && setLocationId(v)}
                allowDeselect={false}
                searchable
              />
            ) : (
              <Text size="sm" c="dimmed" data-testid="store-name">
                {choices[0]?.label}
              </Text>
            )}
          </Group>
          <Group gap={4} wrap="nowrap">
            <LanguageSwitch />
            <UserMenu compact />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      <AppShell.Footer>
        <Group h="100%" grow gap={0} wrap="nowrap" component="nav" aria-label="store">
          {TABS.map((tab) => {
            const active = 'end' in tab ? pathname === tab.to || pathname.startsWith('/store/fulfillments') : pathname.startsWith(tab.to);
            return (
              <UnstyledButton
                key={tab.to}
                component={RouterLink}
                to={tab.to}
                aria-current={active ? 'page' : undefined}
                style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', height: 68, color: active ? 'var(--mantine-color-blue-7)' : 'var(--mantine-color-gray-7)' }}
              >
                <tab.icon size={24} />
                <Text size="xs" ta="center" lh={1.1}>
                  {t(tab.label)}
                </Text>
              </UnstyledButton>
            );
          })}
        </Group>
      </AppShell.Footer>
    </AppShell>
  );
}
