import { Alert, Button, Card, Code, FileInput, Group, Progress, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconFileTypeCsv } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import { useAllLocations } from '../inventory/queries';
import { PageHeader } from '../ui/feedback';
import { ImportReport, type ImportOutcome, type ProductImportResult, type SnapshotResult, type StockFileResult } from './imports/ImportReport';
import { uploadCsv, type UploadPhase } from './imports/upload';
import { useCanEdit } from './permissions';

type Kind = ImportOutcome['kind'];
const KINDS: Kind[] = ['products', 'snapshot', 'erp'];

/** `2026-11-24T10:30` in the browser's zone, the value a datetime-local input shows for now. */
function localNow(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * CSV imports: products (POST /v1/products/import), the full stock of one location (POST
 * /v1/inventory/snapshots) or a multi-location stock file as an ERP writes it (POST
 * /v1/integrations/erp/stock). The file goes up with a progress bar, then the report says what was
 * accepted, or which rows were refused and why (a file is imported whole or not at all).
 */
export function ImportsPage() {
  const { t } = useTranslation('settings');
  const fmt = useFormat();
  const client = useQueryClient();
  const canImport = useCanEdit('imports');
  const locations = useAllLocations();
  const [kind, setKind] = useState<Kind>('products');
  const [file, setFile] = useState<File | null>(null);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [asOf, setAsOf] = useState(localNow);
  const [source, setSource] = useState('');
  const [columns, setColumns] = useState('');
  const [phase, setPhase] = useState<UploadPhase | null>(null);
  const names = new Map((locations.data ?? []).map((l) => [l.id, l.name]));
  const locationName = (id: string) => names.get(id) ?? id;

  const upload = useMutation({
    mutationFn: async (): Promise<ImportOutcome> => {
      const at = new Date(asOf).toISOString();
      const extra = { source: source.trim() || 'back office import' };
      if (kind === 'products') return { kind, result: await uploadCsv<ProductImportResult>('/v1/products/import', {}, file!, setPhase) };
      if (kind === 'snapshot') return { kind, result: await uploadCsv<SnapshotResult>('/v1/inventory/snapshots', { locationId, asOf: at, ...extra }, file!, setPhase) };
      return { kind, result: await uploadCsv<StockFileResult>('/v1/integrations/erp/stock', { asOf: at, ...extra, columns: columns.trim() || undefined }, file!, setPhase) };
    },
    onSettled: () => setPhase(null),
    onSuccess: async (outcome) => {
      // Stock and products changed: every screen reading them reads again.
      await client.invalidateQueries({ queryKey: outcome.kind === 'products' ? ['products'] : ['inventory'] });
    },
  });
  const reset = () => {
    upload.reset();
    setFile(null);
  };
  const ready = file !== null && (kind !== 'snapshot' || locationId !== null) && asOf !== '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) upload.mutate();
  };
  const busy = upload.isPending;
  const finished = upload.isSuccess || upload.isError;

  return (
    <>
      <PageHeader title={t('imports.title')} />
      <Stack>
        {!canImport && (
          <Alert color="gray" role="note">
            {t('imports.adminOnly')}
          </Alert>
        )}
        <Card withBorder component="form" onSubmit={submit} aria-label={t('imports.formLabel')}>
          <fieldset disabled={!canImport || busy || finished} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
            <Stack>
              <SegmentedControl value={kind} onChange={(v) => setKind(v as Kind)} data={KINDS.map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))} />
              <Text size="sm">{t(`imports.help.${kind}`)}</Text>
              <Code block>{t(`imports.example.${kind}`)}</Code>
              {kind !== 'products' && (
                <Alert color="orange" role="note">
                  {t(kind === 'snapshot' ? 'imports.fullSnapshot' : 'imports.fullSnapshotEach')}
                </Alert>
              )}
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <FileInput label={t('imports.file')} placeholder={t('imports.pickFile')} accept=".csv,text/csv,text/plain" value={file} onChange={setFile} leftSection={<IconFileTypeCsv size={18} />} clearable required />
                {kind === 'snapshot' && (
                  <Select label={t('imports.location')} searchable required data={(locations.data ?? []).map((l) => ({ value: l.id, label: l.name }))} value={locationId} onChange={setLocationId} nothingFoundMessage={t('noMatch')} />
                )}
                {kind !== 'products' && (
                  <TextInput type="datetime-local" label={t('imports.asOf')} description={t('imports.asOfHelp')} value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} required />
                )}
                {kind !== 'products' && <TextInput label={t('imports.source')} description={t('imports.sourceHelp')} value={source} onChange={(e) => setSource(e.currentTarget.value)} maxLength={200} />}
                {kind === 'erp' && <TextInput label={t('imports.columns')} description={t('imports.columnsHelp')} value={columns} onChange={(e) => setColumns(e.currentTarget.value)} maxLength={1000} />}
              </SimpleGrid>
              {file && (
                <Text size="sm" c="dimmed">
                  {file.size < 1024 ? t('imports.fileBytes', { name: file.name, size: fmt.number(file.size) }) : t('imports.fileSize', { name: file.name, size: fmt.number(file.size / 1024, { maximumFractionDigits: 1 }) })}
                </Text>
              )}
              <Group>
                <Button type="submit" disabled={!ready}>
                  {t('imports.send')}
                </Button>
              </Group>
            </Stack>
          </fieldset>
          {phase && (
            <Stack gap={4} mt="md" aria-live="polite">
              <Text size="sm">{phase.phase === 'uploading' ? t('imports.uploading', { percent: Math.round(phase.fraction * 100) }) : t('imports.processing')}</Text>
              {phase.phase === 'uploading' ? (
                <Progress value={phase.fraction * 100} aria-label={t('imports.uploadProgress')} transitionDuration={150} />
              ) : (
                <Progress value={100} animated striped aria-label={t('imports.processing')} />
              )}
            </Stack>
          )}
        </Card>
        {finished && (
          <Card withBorder>
            <ImportReport outcome={upload.data ?? null} error={upload.error} locationName={locationName} onReset={reset} />
          </Card>
        )}
      </Stack>
    </>
  );
}
