import { PageHeader } from '../ui/feedback';

// Placeholder until this screen is built.
export function InventoryPage() {
  return <PageHeader title="InventoryPage" />;
}
