import { PageHeader } from '../../ui/feedback';

// Placeholder until this screen is built.
export function FulfillmentPage() {
  return <PageHeader title="FulfillmentPage" />;
}
