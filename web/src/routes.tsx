import { Button, Center, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link, Navigate, type RouteObject } from 'react-router';
import { authRoutes } from './auth/routes';
import { BACK_OFFICE_ROLES, homeFor, RequireRole, STORE_ROLES, useSession } from './auth/session';
import { counterRoutes } from './counter/routes';
import { dashboardRoutes } from './dashboard/routes';
import { inventoryRoutes } from './inventory/routes';
import { ordersRoutes } from './orders/routes';
import { settingsRoutes } from './settings/routes';
import { BackOfficeLayout } from './shell/BackOfficeLayout';
import { StoreLayout } from './shell/StoreLayout';
import { StoreLocationProvider } from './shell/store-location';
import { storeRoutes } from './store/routes';
import { trackingRoutes } from './tracking/routes';
import { usersRoutes } from './users/routes';

function Home() {
  const session = useSession();
  return <Navigate to={session ? homeFor(session.user.role) : '/login'} replace />;
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Stack align="center">
        <Text>{t('state.notFound')}</Text>
        <Button component={Link} to="/" variant="light">
          {t('actions.back')}
        </Button>
      </Stack>
    </Center>
  );
}

const routes: RouteObject[] = [
  ...authRoutes,
  ...trackingRoutes,
  {
    path: '/bo',
    element: (
      <RequireRole roles={BACK_OFFICE_ROLES}>
        <BackOfficeLayout />
      </RequireRole>
    ),
    children: [...dashboardRoutes, ...ordersRoutes, ...inventoryRoutes, ...settingsRoutes, ...usersRoutes, { path: '*', element: <NotFound /> }],
  },
  {
    path: '/store',
    element: (
      <RequireRole roles={STORE_ROLES}>
        <StoreLocationProvider>
          <StoreLayout />
        </StoreLocationProvider>
      </RequireRole>
    ),
    children: [...storeRoutes, ...counterRoutes, { path: '*', element: <NotFound /> }],
  },
  { path: '/', element: <Home /> },
  { path: '*', element: <NotFound /> },
];

export const router = createBrowserRouter(routes, { basename: '/app' });
