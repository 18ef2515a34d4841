import { PageHeader } from '../ui/feedback';

// Placeholder until this screen is built.
export function DashboardPage() {
  return <PageHeader title="DashboardPage" />;
}
