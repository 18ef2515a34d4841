import { PageHeader } from '../../ui/feedback';

// Placeholder until this screen is built.
export function HandoverPage() {
  return <PageHeader title="HandoverPage" />;
}
