import { ActionIcon, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { FieldErrors } from '../form';
import { WEEKDAYS, type OpeningHours, type Weekday } from '../types';

const MAX_INTERVALS = 4;

/** Weekly opening hours: up to four intervals a day (a lunch break is two), a day without any is closed. */
export function OpeningHoursEditor({ value, onChange, errors, readOnly }: { value: OpeningHours; onChange: (v: OpeningHours) => void; errors: FieldErrors; readOnly: boolean }) {
  const { t } = useTranslation('settings');
  const setDay = (day: Weekday, intervals: { open: string; close: string }[]) => onChange({ ...value, [day]: intervals });
  return (
    <Table aria-label={t('locations.openingHours')} verticalSpacing="xs">
      <Table.Tbody>
        {WEEKDAYS.map((day) => {
          const intervals = value[day] ?? [];
          const dayName = t(`weekday.${day}`);
          return (
            <Table.Tr key={day}>
              <Table.Td w={120} fw={500}>
                {dayName}
              </Table.Td>
              <Table.Td>
                <Stack gap={6}>
                  {intervals.length === 0 && (
                    <Text size="sm" c="dimmed">
                      {t('locations.closed')}
                    </Text>
                  )}
                  {intervals.map((iv, i) => {
                    const set = (patch: Partial<typeof iv>) => setDay(day, intervals.map((x, j) => (j === i ? { ...x, ...patch } : x)));
                    return (
                      <Group key={i} gap="xs" wrap="nowrap">
                        <TextInput
                          type="time"
                          aria-label={t('locations.opensAt', { day: dayName, n: i + 1 })}
                          value={iv.open}
                          onChange={(e) => set({ open: e.currentTarget.value })}
                          error={errors[`openingHours.${day}.${i}.open`]}
                          w={130}
                        />
                        <Text size="sm">–</Text>
                        <TextInput
                          type="time"
                          aria-label={t('locations.closesAt', { day: dayName, n: i + 1 })}
                          value={iv.close}
                          onChange={(e) => set({ close: e.currentTarget.value })}
                          error={errors[`openingHours.${day}.${i}.close`]}
                          w={130}
                        />
                        {!readOnly && (
                          <ActionIcon variant="subtle" color="red" aria-label={t('locations.removeInterval', { day: dayName, n: i + 1 })} onClick={() => setDay(day, intervals.filter((_, j) => j !== i))}>
                            <IconX size={16} />
                          </ActionIcon>
                        )}
                      </Group>
                    );
                  })}
                </Stack>
              </Table.Td>
              <Table.Td w={160}>
                {!readOnly && intervals.length < MAX_INTERVALS && (
                  <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => setDay(day, [...intervals, { open: '09:00', close: '19:00' }])} aria-label={t('locations.addInterval', { day: dayName })}>
                    {t('locations.add')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
