import { PageHeader } from '../ui/feedback';

// Placeholder until this screen is built.
export function SettingsPage() {
  return <PageHeader title="SettingsPage" />;
}
