import { useState } from 'react';
import { Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';
import { browserTimeZone, MAX_SCHEDULE_DAYS, scheduleFromLocal } from './schedule.ts';

const useStyles = makeStyles({
  schedule: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
});

/**
 * "Schedule for…" next to Save: a date and time in the browser's time zone, shown back in it; the
 * change is then saved as a scheduled job (seats reserved now). `onChange` gets the `notBefore` the
 * API takes, or undefined while nothing valid is picked (Save then saves at once).
 */
export function ScheduleControl({ onChange }: { onChange: (notBefore: string | undefined) => void }) {
  const styles = useStyles();
  const { t } = useTranslation('licenses');
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const [local, setLocal] = useState('');
  const timeZone = browserTimeZone();
  const schedule = scheduleFromLocal(local, new Date());

  if (!open)
    return (
      <Button appearance="subtle" onClick={() => setOpen(true)}>
        {t('schedule.open')}
      </Button>
    );

  const message =
    schedule.kind === 'ok'
      ? t('schedule.startsAt', { at: format.dateTime(schedule.notBefore), timeZone })
      : schedule.kind === 'past'
        ? t('schedule.past')
        : schedule.kind === 'tooFar'
          ? t('schedule.tooFar', { count: MAX_SCHEDULE_DAYS })
          : schedule.kind === 'invalid'
            ? t('schedule.invalid')
            : t('schedule.hint', { timeZone });
  return (
    <div className={styles.schedule}>
      <Field
        label={t('schedule.label', { timeZone })}
        validationState={schedule.kind === 'ok' ? 'success' : schedule.kind === 'empty' ? 'none' : 'error'}
        validationMessage={message}
      >
        <Input
          type="datetime-local"
          value={local}
          onChange={(_, data) => {
            setLocal(data.value);
            const next = scheduleFromLocal(data.value, new Date());
            onChange(next.kind === 'ok' ? next.notBefore : undefined);
          }}
        />
      </Field>
      <Button
        appearance="subtle"
        onClick={() => {
          setOpen(false);
          setLocal('');
          onChange(undefined);
        }}
      >
        {t('schedule.clear')}
      </Button>
    </div>
  );
}
