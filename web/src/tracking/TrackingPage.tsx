import { PageHeader } from '../ui/feedback';

// Placeholder until this screen is built.
export function TrackingPage() {
  return <PageHeader title="TrackingPage" />;
}
