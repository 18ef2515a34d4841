import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate, useParams } from 'react-router';
import { EmptyState, PageHeader } from '../ui/feedback';
import { CarrierEditPage } from './carriers/CarrierEditPage';
import { CarriersTab } from './carriers/CarriersTab';
import { ChannelEditPage } from './channels/ChannelEditPage';
import { ChannelsTab } from './channels/ChannelsTab';
import { LocationEditPage } from './locations/LocationEditPage';
import { LocationsTab } from './locations/LocationsTab';
import { OperationsTab } from './operations/OperationsTab';
import { PolicyEditPage } from './routing/PolicyEditPage';
import { RoutingTab } from './routing/RoutingTab';

const SECTIONS = ['locations', 'channels', 'carriers', 'routing', 'operations'] as const;

/** /bo/settings/<section>[/<id>]: the network's master data and the operations settings, one tab each. */
export function SettingsPage() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const navigate = useNavigate();
  const section = (useParams()['*'] ?? '').split('/')[0] ?? '';
  return (
    <>
      <PageHeader title={t('title')} />
      <Tabs value={SECTIONS.includes(section as (typeof SECTIONS)[number]) ? section : null} onChange={(v) => v && navigate(`/bo/settings/${v}`)} mb="md">
        <Tabs.List>
          {SECTIONS.map((s) => (
            <Tabs.Tab key={s} value={s}>
              {t(`tabs.${s}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<Navigate to="locations" replace />} />
        <Route path="locations" element={<LocationsTab />} />
        <Route path="locations/:locationId" element={<LocationEditPage />} />
        <Route path="channels" element={<ChannelsTab />} />
        <Route path="channels/:channelId" element={<ChannelEditPage />} />
        <Route path="carriers" element={<CarriersTab />} />
        <Route path="carriers/:carrierId" element={<CarrierEditPage />} />
        <Route path="routing" element={<RoutingTab />} />
        <Route path="routing/:policyId" element={<PolicyEditPage />} />
        <Route path="operations" element={<OperationsTab />} />
        <Route path="*" element={<EmptyState title={tc('state.notFound')} />} />
      </Routes>
    </>
  );
}
