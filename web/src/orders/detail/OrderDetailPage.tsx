import { PageHeader } from '../../ui/feedback';

// Placeholder until this screen is built.
export function OrderDetailPage() {
  return <PageHeader title="OrderDetailPage" />;
}
