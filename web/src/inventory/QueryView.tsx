import type { ReactNode } from 'react';
import { EmptyState, ErrorAlert, Loading } from '../ui/feedback';

/**
 * A query's three states in one place: loading, the error in plain words with a retry, or its data
 * (an empty state when `isEmpty` says there is nothing to show).
 */
export function QueryView<T>({ query, isEmpty, empty, children }: { query: QueryLike<T>; isEmpty?: (data: T) => boolean; empty?: string; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError || query.data === undefined) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <EmptyState title={empty} />;
  return <>{children(query.data)}</>;
}

/** What QueryView reads of a query (plain and infinite queries both have it). */
interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
}
