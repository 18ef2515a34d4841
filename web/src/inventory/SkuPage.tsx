import { PageHeader } from '../ui/feedback';

// Placeholder until this screen is built.
export function SkuPage() {
  return <PageHeader title="SkuPage" />;
}
