import { PageHeader } from '../../ui/feedback';

// Placeholder until this screen is built.
export function NewOrderPage() {
  return <PageHeader title="NewOrderPage" />;
}
