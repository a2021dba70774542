import {
  Field,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../api/types.ts';
import { Link, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { PHONE, useMediaQuery } from '../../components/useMediaQuery.ts';
import { setListParams, usePageParams } from '../../components/useListParams.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat, type Format } from '../../i18n/format.ts';
import { useCatalogNames } from '../customers/api.ts';
import { auditTypes, useAuditEvents, type AuditType } from './api.ts';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: 'anywhere',
  },
  muted: { color: tokens.colorNeutralForeground3 },
  details: { overflowWrap: 'anywhere' },
});

function typeName(type: AuditType, t: TFunction<'customers'>): string {
  switch (type) {
    case 'customer.created':
      return t('audit.type.customerCreated');
    case 'user.created':
      return t('audit.type.userCreated');
    case 'user.updated':
      return t('audit.type.userUpdated');
    case 'user.deleted':
      return t('audit.type.userDeleted');
    case 'subscription.updated':
      return t('audit.type.subscriptionUpdated');
    case 'license_job.accepted':
      return t('audit.type.jobAccepted');
    case 'license_job.cancelled':
      return t('audit.type.jobCancelled');
    case 'license_job.retried':
      return t('audit.type.jobRetried');
    case 'license_job.reverted':
      return t('audit.type.jobReverted');
    case 'license_job.finished':
      return t('audit.type.jobFinished');
    default:
      return type;
  }
}

/** What an event changed, in a sentence (its fields depend on its type). */
function details(event: AuditEvent, t: TFunction<'customers'>, format: Format, names: ReadonlyMap<string, string>) {
  const data = event.data as Record<string, unknown>;
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  const number = (key: string) => (typeof data[key] === 'number' ? (data[key] as number) : undefined);
  switch (event.type) {
    case 'customer.created':
      return t('audit.details.customer', { name: text('name'), country: format.region(text('country')) });
    case 'user.created':
      return text('userPrincipalName')
        ? t('audit.details.user', { name: text('userPrincipalName') })
        : t('audit.details.users', { count: number('count') ?? 0 });
    case 'subscription.updated': {
      const product = names.get(text('productId')) ?? text('productId');
      const old = number('oldQuantity');
      const next = number('newQuantity') ?? 0;
      return old === undefined
        ? t('audit.details.subscriptionNew', { product, count: next })
        : t('audit.details.subscription', { product, old, count: next });
    }
    default:
      return '';
  }
}

/** The customer's audit log: every change made to it, newest first, filtered by type. */
export function AuditPage({ customerId }: { customerId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('customers');
  const format = useFormat();
  const names = useCatalogNames();
  const phone = useMediaQuery(PHONE);
  usePageTitle(t('audit.title'));
  const { params, page, pageSize, setPage, setPageSize } = usePageParams();
  const type = auditTypes.find((value) => value === params.get('type'));
  const events = useAuditEvents(customerId, type, page, pageSize);
  const items = events.data?.items ?? [];
  const jobLink = (event: AuditEvent) => {
    const jobId = (event.data as { jobId?: unknown }).jobId;
    return typeof jobId === 'string' ? <Link href={paths.job(customerId, jobId)}>{t('audit.openJob')}</Link> : null;
  };
  const userLink = (event: AuditEvent) => {
    const userId = (event.data as { userId?: unknown }).userId;
    return typeof userId === 'string' && event.type !== 'user.deleted' ? (
      <Link href={paths.user(customerId, userId)}>{t('audit.openUser')}</Link>
    ) : null;
  };
  const who = (event: AuditEvent) => event.actor.keyName ?? (event.actor.keyId ? t('audit.aKey') : t('audit.service'));

  return (
    <>
      <Title2 as="h1">{t('audit.title')}</Title2>
      <Field label={t('audit.filter')}>
        <Select value={type ?? ''} onChange={(_, data) => setListParams({ type: data.value, page: 1 })}>
          <option value="">{t('audit.allTypes')}</option>
          {auditTypes.map((value) => (
            <option key={value} value={value}>
              {typeName(value, t)}
            </option>
          ))}
        </Select>
      </Field>
      {events.error && <ProblemMessage error={events.error} />}
      {events.isPending && <Spinner label={t('audit.loading')} />}
      {events.data && items.length === 0 && <Text>{t('audit.empty')}</Text>}
      {items.length > 0 &&
        (phone ? (
          <ul className={styles.list} aria-label={t('audit.title')}>
            {items.map((event) => (
              <li key={event.id} className={styles.item}>
                <Text weight="semibold">{typeName(event.type, t)}</Text>
                <Text>{details(event, t, format, names)}</Text>
                <span>
                  {jobLink(event)}
                  {userLink(event)}
                </span>
                <Text className={styles.muted}>
                  {t('audit.byAt', { who: who(event), at: format.dateTime(event.at) })}
                </Text>
              </li>
            ))}
          </ul>
        ) : (
          <Table aria-label={t('audit.title')} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('audit.when')}</TableHeaderCell>
                <TableHeaderCell>{t('audit.what')}</TableHeaderCell>
                <TableHeaderCell>{t('audit.details.title')}</TableHeaderCell>
                <TableHeaderCell>{t('audit.who')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((event) => (
                <TableRow key={event.id}>
                  <TableCell>{format.dateTime(event.at)}</TableCell>
                  <TableCell>{typeName(event.type, t)}</TableCell>
                  <TableCell className={styles.details}>
                    {details(event, t, format, names)} {jobLink(event)}
                    {userLink(event)}
                  </TableCell>
                  <TableCell>{who(event)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ))}
      {events.data && events.data.total > 0 && (
        <Pager
          label={t('audit.pages')}
          count={(count) => t('audit.count', { count })}
          list={events.data}
          pageSize={pageSize}
          onPage={setPage}
          onPageSize={setPageSize}
        />
      )}
    </>
  );
}
