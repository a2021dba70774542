import { useState } from 'react';
import {
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../api/types.ts';
import { navigate, paths } from '../../app/router.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useCatalogNames } from '../customers/api.ts';
import { NeedsScope } from '../keys/access.tsx';
import { useRevertJob, useRevertPreview } from './api.ts';
import { useErrorTexts } from './reasons.ts';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '720px' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, overflowWrap: 'anywhere' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
});

/**
 * "Undo this change" on a finished job's report: first what undoing would do now (the API's revert
 * preview: licenses removed, assigned again or given their plans back, and the users it leaves alone
 * because their license changed since), then the undo itself, a new job followed on its own page.
 */
export function UndoJob({ customerId, job }: { customerId: string; job: Job }) {
  const styles = useStyles();
  const { t } = useTranslation('jobs');
  const errors = useErrorTexts();
  const names = useCatalogNames();
  const preview = useRevertPreview(customerId, job.id);
  const revert = useRevertJob(customerId, job.id);
  const [key] = useState(() => crypto.randomUUID());

  if (!preview.data)
    return (
      <div className={styles.actions}>
        <Button disabled={preview.isPending} onClick={() => preview.mutate()}>
          {preview.isPending ? t('undo.checking') : t('undo.open')}
        </Button>
        {preview.error && <ProblemMessage error={preview.error} title={t('undo.previewFailed')} />}
      </div>
    );

  const { outcomes, failures, seats } = preview.data;
  const changed = outcomes.revoked + outcomes.assigned + outcomes.updated;
  const leftAlone = failures.users.filter((user) => user.changes.some((c) => c.error?.code === 'ChangedSinceJob'));
  const otherFailures = failures.total - (failures.byCode.ChangedSinceJob ?? 0);
  const short = seats.filter((s) => s.shortfall > 0);
  return (
    <Card className={styles.card} role="region" aria-labelledby="undo-title">
      <Subtitle2 as="h2" id="undo-title">
        {t('undo.title')}
      </Subtitle2>
      <Text>{t('undo.basis')}</Text>
      <ul className={styles.list}>
        {outcomes.revoked > 0 && <li>{t('undo.revoked', { count: outcomes.revoked })}</li>}
        {outcomes.assigned > 0 && <li>{t('undo.assigned', { count: outcomes.assigned })}</li>}
        {outcomes.updated > 0 && <li>{t('undo.updated', { count: outcomes.updated })}</li>}
        {changed === 0 && <li>{t('undo.nothing')}</li>}
      </ul>
      {(failures.byCode.ChangedSinceJob ?? 0) > 0 && (
        <>
          <Text weight="semibold">{t('undo.leftAlone', { count: failures.byCode.ChangedSinceJob ?? 0 })}</Text>
          <ul className={styles.list} aria-label={t('undo.leftAloneList')}>
            {leftAlone.slice(0, 20).map((user) => (
              <li key={user.userId}>
                {t('undo.leftAloneUser', {
                  name: user.displayName,
                  reasons: user.changes
                    .filter((c) => c.error?.code === 'ChangedSinceJob')
                    .map((c) => errors.explain(c, c.error!, names))
                    .join(' '),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
      {otherFailures > 0 && <Text>{t('undo.otherFailures', { count: otherFailures })}</Text>}
      {short.length > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {t('undo.short', {
              list: short.map((s) => `${names.get(s.productId) ?? s.productId} (${s.shortfall})`).join(', '),
            })}
          </MessageBarBody>
        </MessageBar>
      )}
      {revert.error && <ProblemMessage error={revert.error} title={t('undo.failed')} />}
      <div className={styles.actions}>
        <NeedsScope scope="licenses:write">
          {(allowed) => (
            <Button
              appearance="primary"
              disabled={allowed && (changed === 0 || revert.isPending)}
              disabledFocusable={!allowed}
              onClick={() => revert.mutate(key, { onSuccess: (next) => navigate(paths.job(customerId, next.id)) })}
            >
              {t('undo.confirm')}
            </Button>
          )}
        </NeedsScope>
        <Button onClick={() => preview.reset()}>{t('undo.keep')}</Button>
      </div>
    </Card>
  );
}
