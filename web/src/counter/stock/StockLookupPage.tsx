import { PageHeader } from '../../ui/feedback';

// Placeholder until this screen is built.
export function StockLookupPage() {
  return <PageHeader title="StockLookupPage" />;
}
