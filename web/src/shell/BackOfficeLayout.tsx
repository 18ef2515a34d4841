import { AppShell, Burger, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingWarehouse, IconChartBar, IconFileImport, IconPackage, IconSettings, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { LanguageSwitch } from './LanguageSwitch';
import { UserMenu } from './UserMenu';

const NAV = [
  { to: '/bo', label: 'nav.dashboard', icon: IconChartBar, end: true },
  { to: '/bo/orders', label: 'nav.orders', icon: IconPackage },
  { to: '/bo/inventory', label: 'nav.inventory', icon: IconBuildingWarehouse },
  { to: '/bo/settings', label: 'nav.settings', icon: IconSettings },
  { to: '/bo/imports', label: 'nav.imports', icon: IconFileImport },
  { to: '/bo/users', label: 'nav.users', icon: IconUsers, adminOnly: true },
] as const;

/** The back office (admin, ops, customer service): a sidebar on desktop, a burger menu on a phone. */
export function BackOfficeLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="menu" />
            <Text fw={700} size="lg">
              Ordo
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="main">
        {NAV.filter((n) => !('adminOnly' in n) || session?.user.role === 'admin').map((n) => (
          <NavLink
            key={n.to}
            component={RouterLink}
            to={n.to}
            label={t(n.label)}
            leftSection={<n.icon size={18} />}
            active={'end' in n ? pathname === n.to : pathname.startsWith(n.to)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
