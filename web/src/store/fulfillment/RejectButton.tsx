import { Button, Modal, Radio, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REJECT_REASONS, type RejectReason } from '../types';

/** Reject with a reason (the API re-routes the whole fulfillment to another location). */
export function RejectButton({ busy, onReject }: { busy: boolean; onReject(body: { reason: RejectReason; note?: string }): void }) {
  const { t } = useTranslation('store');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<RejectReason | null>(null);
  const [note, setNote] = useState('');
  return (
    <>
      <Button size="lg" fullWidth variant="outline" color="red" onClick={() => setOpen(true)}>
        {t('actions.reject')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('reject.title')} centered>
        <Stack>
          <Radio.Group label={t('reject.reason')} value={reason} onChange={(v) => setReason(v as RejectReason)} required>
            <Stack gap="sm" mt="xs">
              {REJECT_REASONS.map((r) => (
                <Radio key={r} value={r} label={t(`reject.reasons.${r}`)} size="md" />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea label={t('reject.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
          <Button
            size="lg"
            color="red"
            disabled={!reason}
            loading={busy}
            onClick={() => {
              if (!reason) return;
              setOpen(false);
              onReject({ reason, ...(note.trim() ? { note: note.trim() } : {}) });
            }}
          >
            {t('reject.confirm')}
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
