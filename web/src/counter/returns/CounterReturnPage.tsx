import { PageHeader } from '../../ui/feedback';

// Placeholder until this screen is built.
export function CounterReturnPage() {
  return <PageHeader title="CounterReturnPage" />;
}
