import { PageHeader } from '../../ui/feedback';

// Placeholder until this screen is built.
export function QueuePage() {
  return <PageHeader title="QueuePage" />;
}
