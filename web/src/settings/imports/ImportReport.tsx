import { Alert, Anchor, Button, List, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useFormat } from '../../format';
import { useErrorText } from '../../ui/feedback';

export interface ProductImportResult {
  importId: string;
  created: number;
  updated: number;
  total: number;
}
export interface SnapshotResult {
  locationId: string;
  asOf: string;
  received: number;
  created: number;
  changed: number;
  zeroed: number;
  stale: number;
  oversoldCount: number;
  oversoldPositions: { sku: string; onHand: number; reserved: number }[];
}
export interface StockFileResult {
  asOf: string;
  received: number;
  locations: SnapshotResult[];
}
export type ImportOutcome = { kind: 'products'; result: ProductImportResult } | { kind: 'snapshot'; result: SnapshotResult } | { kind: 'erp'; result: StockFileResult };

interface RowProblem {
  row?: number | null;
  line?: number;
  field?: string | null;
  message: string;
}

/** Locations a stock import reconciled, with what changed at each, and a way to their stock. */
function SnapshotTable({ results, locationName }: { results: SnapshotResult[]; locationName: (id: string) => string }) {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped aria-label={t('imports.report.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('imports.report.location')}</Table.Th>
            <Table.Th ta="right">{t('imports.report.received')}</Table.Th>
            <Table.Th ta="right">{t('imports.report.changed')}</Table.Th>
            <Table.Th ta="right">{t('imports.report.created')}</Table.Th>
            <Table.Th ta="right">{t('imports.report.zeroed')}</Table.Th>
            <Table.Th ta="right">{t('imports.report.stale')}</Table.Th>
            <Table.Th ta="right">{t('imports.report.oversold')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {results.map((r) => (
            <Table.Tr key={r.locationId}>
              <Table.Td>{locationName(r.locationId)}</Table.Td>
              <Table.Td ta="right">{fmt.number(r.received)}</Table.Td>
              <Table.Td ta="right">{fmt.number(r.changed)}</Table.Td>
              <Table.Td ta="right">{fmt.number(r.created)}</Table.Td>
              <Table.Td ta="right">{fmt.number(r.zeroed)}</Table.Td>
              <Table.Td ta="right">{fmt.number(r.stale)}</Table.Td>
              <Table.Td ta="right" c={r.oversoldCount > 0 ? 'red.8' : undefined}>
                {fmt.number(r.oversoldCount)}
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/bo/inventory?location=${encodeURIComponent(r.locationId)}`} size="sm">
                  {t('imports.report.openStock')}
                </Anchor>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** What an import did: rows accepted and their effect, or the rows refused with their reasons (nothing written). */
export function ImportReport({ outcome, error, locationName, onReset }: { outcome: ImportOutcome | null; error: unknown; locationName: (id: string) => string; onReset: () => void }) {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  const errorText = useErrorText();
  if (error) {
    const details = error instanceof ApiError && error.details && typeof error.details === 'object' ? (error.details as { errors?: RowProblem[]; skus?: string[]; locationIds?: string[] }) : {};
    const rows = Array.isArray(details.errors) ? details.errors : [];
    return (
      <Stack>
        <Alert color="red" role="alert" title={t('imports.report.rejected')}>
          {/* The API's sentence, unless the lines below already say it with the details. */}
          {rows.length === 0 && !details.skus?.length && !details.locationIds?.length && <Text size="sm">{errorText(error)}</Text>}
          {rows.length > 0 && (
            <Text size="sm" mt={4}>
              {t('imports.report.rejectedRows', { count: rows.length })}
            </Text>
          )}
          {details.locationIds && details.locationIds.length > 0 && <Text size="sm">{t('imports.report.unknownLocations', { ids: details.locationIds.join(', ') })}</Text>}
          {details.skus && details.skus.length > 0 && <Text size="sm">{t('imports.report.unknownSkus', { skus: details.skus.slice(0, 20).join(', ') })}</Text>}
        </Alert>
        {rows.length > 0 && (
          <Table striped aria-label={t('imports.report.problems')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.report.row')}</Table.Th>
                <Table.Th>{t('imports.report.field')}</Table.Th>
                <Table.Th>{t('imports.report.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{r.line ?? r.row ?? '—'}</Table.Td>
                  <Table.Td>{r.field ?? '—'}</Table.Td>
                  <Table.Td>{r.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Button variant="default" onClick={onReset} w="fit-content">
          {t('imports.another')}
        </Button>
      </Stack>
    );
  }
  if (!outcome) return null;
  return (
    <Stack>
      {outcome.kind === 'products' && (
        <Alert color="teal" title={t('imports.report.accepted', { count: outcome.result.total })}>
          {t('imports.report.productsDone', { created: fmt.number(outcome.result.created), updated: fmt.number(outcome.result.updated) })}
        </Alert>
      )}
      {outcome.kind === 'snapshot' && (
        <>
          <Alert color="teal" title={t('imports.report.accepted', { count: outcome.result.received })}>
            {t('imports.report.snapshotDone', { location: locationName(outcome.result.locationId), when: fmt.dateTime(outcome.result.asOf) })}
          </Alert>
          <SnapshotTable results={[outcome.result]} locationName={locationName} />
        </>
      )}
      {outcome.kind === 'erp' && (
        <>
          <Alert color="teal" title={t('imports.report.accepted', { count: outcome.result.received })}>
            {t('imports.report.erpDone', { count: outcome.result.locations.length, when: fmt.dateTime(outcome.result.asOf) })}
          </Alert>
          <SnapshotTable results={outcome.result.locations} locationName={locationName} />
        </>
      )}
      {(outcome.kind === 'snapshot' ? [outcome.result] : outcome.kind === 'erp' ? outcome.result.locations : []).some((r) => r.oversoldCount > 0) && (
        <Alert color="orange" title={t('imports.report.oversoldTitle')}>
          <Text size="sm" mb="xs">
            {t('imports.report.oversoldNote')}
          </Text>
          <List size="sm">
            {(outcome.kind === 'snapshot' ? [outcome.result] : outcome.kind === 'erp' ? outcome.result.locations : []).flatMap((r) =>
              r.oversoldPositions.slice(0, 20).map((p) => (
                <List.Item key={`${r.locationId}/${p.sku}`}>{t('imports.report.oversoldLine', { sku: p.sku, location: locationName(r.locationId), onHand: p.onHand, reserved: p.reserved })}</List.Item>
              )),
            )}
          </List>
        </Alert>
      )}
      <Button variant="default" onClick={onReset} w="fit-content">
        {t('imports.another')}
      </Button>
    </Stack>
  );
}
