import { PageHeader } from '../ui/feedback';

// Placeholder until this screen is built.
export function ImportsPage() {
  return <PageHeader title="ImportsPage" />;
}
