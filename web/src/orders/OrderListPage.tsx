import { PageHeader } from '../ui/feedback';

// Placeholder until this screen is built.
export function OrderListPage() {
  return <PageHeader title="OrderListPage" />;
}
