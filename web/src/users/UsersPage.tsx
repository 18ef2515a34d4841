import { PageHeader } from '../ui/feedback';

// Placeholder until this screen is built.
export function UsersPage() {
  return <PageHeader title="UsersPage" />;
}
