import {
  Badge,
  Button,
  Card,
  Spinner,
  Subtitle2,
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
import { useTranslation } from 'react-i18next';
import type { LicenseHistoryEntry, Product, ResultChange, User } from '../../api/types.ts';
import { Link, navigate, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { PHONE, useMediaQuery } from '../../components/useMediaQuery.ts';
import { usePageParams } from '../../components/useListParams.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../i18n/format.ts';
import { useCatalogNames, useProducts } from '../customers/api.ts';
import { useGroupNames } from '../groups/api.ts';
import { useErrorTexts } from '../jobs/reasons.ts';
import { NeedsScope } from '../keys/access.tsx';
import { useLicenseHistory, useReprocessUser, useUser } from './api.ts';
import { DeleteUserDialog } from './DeleteUserDialog.tsx';
import { EditUserDialog } from './EditUserDialog.tsx';
import { useSelection } from './selection.tsx';

const useStyles = makeStyles({
  details: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    margin: 0,
    overflowWrap: 'anywhere',
    '@media (max-width: 600px)': { gridTemplateColumns: '1fr' },
  },
  term: { color: tokens.colorNeutralForeground3 },
  definition: { margin: 0 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  licenses: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  plans: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
  },
  history: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  historyItem: {
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    display: 'flex',
    flexDirection: 'column',
    overflowWrap: 'anywhere',
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** A user's page: details, licenses with their service plans, and the license history. */
export function UserPage({ customerId, userId }: { customerId: string; userId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('users');
  const format = useFormat();
  const user = useUser(customerId, userId);
  const products = useProducts();
  const { setUsers } = useSelection(customerId);
  const { names: groupNames } = useGroupNames(customerId);
  usePageTitle(user.data?.displayName ?? t('user.title'));

  if (user.error) return <ProblemMessage error={user.error} />;
  if (!user.data) return <Spinner label={t('user.loading')} />;
  const u = user.data as User;
  return (
    <>
      <Title2 as="h1">{u.displayName}</Title2>
      <div className={styles.actions}>
        <EditUserDialog customerId={customerId} user={u} appearance="secondary" />
        <DeleteUserDialog
          customerId={customerId}
          user={u}
          appearance="secondary"
          onDeleted={() => {
            setUsers([u], false);
            navigate(paths.users(customerId));
          }}
        />
      </div>
      <dl className={styles.details}>
        <dt className={styles.term}>{t('userPrincipalName')}</dt>
        <dd className={styles.definition}>{u.userPrincipalName}</dd>
        <dt className={styles.term}>{t('usageLocation')}</dt>
        <dd className={styles.definition}>
          {u.usageLocation ? format.region(u.usageLocation) : t('customersCountry')}
        </dd>
        <dt className={styles.term}>{t('department')}</dt>
        <dd className={styles.definition}>{u.department ?? t('user.noDepartment')}</dd>
      </dl>

      <section className={styles.licenses} aria-labelledby="user-licenses">
        <Subtitle2 as="h2" id="user-licenses">
          {t('licenses')}
        </Subtitle2>
        {u.licenses.length === 0 && <Text>{t('user.noLicenses')}</Text>}
        {u.licenses.map((license) => (
          <LicenseCard
            key={license.productId}
            customerId={customerId}
            productId={license.productId}
            product={products.data?.get(license.productId)}
            disabled={license.disabledServicePlans}
            direct={license.assignedBy.direct}
            groupIds={license.assignedBy.groupIds}
            groupNames={groupNames}
          />
        ))}
      </section>

      <GroupStates customerId={customerId} user={u} groupNames={groupNames} />

      <LicenseHistory customerId={customerId} userId={userId} />
    </>
  );
}

function LicenseCard({
  customerId,
  productId,
  product,
  disabled,
  direct,
  groupIds,
  groupNames,
}: {
  customerId: string;
  productId: string;
  product?: Product;
  disabled: string[];
  direct: boolean;
  groupIds: string[];
  groupNames: ReadonlyMap<string, string>;
}) {
  const styles = useStyles();
  const { t } = useTranslation('users');
  const { t: tg } = useTranslation('groups');
  const name = product?.name ?? productId;
  const off = new Set(disabled);
  const groups = groupIds.length;
  return (
    <Card role="group" aria-label={name}>
      <Text weight="semibold">{name}</Text>
      <Text className={styles.muted}>
        {direct && groups > 0
          ? t('user.sourceBoth', { count: groups })
          : groups > 0
            ? t('user.sourceGroups', { count: groups })
            : t('user.sourceDirect')}
        {groupIds.map((id, i) => (
          <span key={id}>
            {i === 0 ? ' ' : ', '}
            <Link href={paths.group(customerId, id)}>{groupNames.get(id) ?? tg('aGroup')}</Link>
          </span>
        ))}
      </Text>
      <ul className={styles.plans} aria-label={t('user.plansOf', { product: name })}>
        {(product?.servicePlans ?? []).map((plan) => (
          <li key={plan.id}>
            <Badge appearance={off.has(plan.id) ? 'outline' : 'tint'} color={off.has(plan.id) ? 'subtle' : 'success'}>
              {off.has(plan.id) ? t('user.planOff', { plan: plan.name }) : t('user.planOn', { plan: plan.name })}
            </Badge>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/**
 * What the user's groups should give it but it does not hold: waiting for a seat (licensed
 * automatically as seats free up), or refused by a rule (explained), each with its group.
 */
function GroupStates({
  customerId,
  user,
  groupNames,
}: {
  customerId: string;
  user: User;
  groupNames: ReadonlyMap<string, string>;
}) {
  const styles = useStyles();
  const { t } = useTranslation('users');
  const { t: tg } = useTranslation('groups');
  const format = useFormat();
  const names = useCatalogNames();
  const errors = useErrorTexts();
  const reprocess = useReprocessUser(customerId, user.id);
  const pending = user.licenseStates.filter((s) => s.state !== 'active');
  if (pending.length === 0) return null;
  return (
    <section className={styles.licenses} aria-labelledby="user-group-states">
      <Subtitle2 as="h2" id="user-group-states">
        {t('user.groupStates')}
      </Subtitle2>
      <ul className={styles.history}>
        {pending.map((s) => (
          <li key={`${s.groupId}-${s.productId}`} className={styles.historyItem}>
            <Text weight="semibold">
              {t('user.groupState', { product: names.get(s.productId) ?? s.productId })}{' '}
              <Link href={paths.group(customerId, s.groupId)}>{groupNames.get(s.groupId) ?? tg('aGroup')}</Link>
            </Text>
            <Text>
              {s.state === 'waiting'
                ? t('user.waitingSince', { since: format.dateTime(s.since) })
                : s.error
                  ? `${errors.explain({ productId: s.productId, action: 'assign', outcome: 'failed' }, s.error, names)} ${tg('state.code', { code: s.error.code })}`
                  : tg('state.error')}
            </Text>
          </li>
        ))}
      </ul>
      <div className={styles.actions}>
        <NeedsScope scope="licenses:write">
          {(allowed) => (
            <Button
              disabled={allowed && reprocess.isPending}
              disabledFocusable={!allowed}
              onClick={() => reprocess.mutate()}
            >
              {t('user.reprocess')}
            </Button>
          )}
        </NeedsScope>
      </div>
      {reprocess.error && <ProblemMessage error={reprocess.error} />}
    </section>
  );
}

function LicenseHistory({ customerId, userId }: { customerId: string; userId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('users');
  const format = useFormat();
  const names = useCatalogNames();
  const errors = useErrorTexts();
  const phone = useMediaQuery(PHONE);
  const { page, pageSize, setPage, setPageSize } = usePageParams();
  const history = useLicenseHistory(customerId, userId, page, pageSize);
  const items = history.data?.items ?? [];
  const what = (entry: LicenseHistoryEntry) => {
    const change = entry as unknown as ResultChange;
    const product = names.get(entry.productId) ?? entry.productId;
    const result = errors.outcome(entry.outcome);
    const plans = entry.disabledServicePlans?.length
      ? t('user.historyPlansOff', { plans: format.list(entry.disabledServicePlans.map((id) => names.get(id) ?? id)) })
      : '';
    return {
      action: entry.action === 'assign' ? t('user.assign', { product }) : t('user.revoke', { product }),
      result: entry.error ? `${result}: ${errors.explain(change, entry.error, names)}` : result,
      plans,
    };
  };
  return (
    <section aria-labelledby="user-history">
      <Subtitle2 as="h2" id="user-history">
        {t('user.history')}
      </Subtitle2>
      {history.error && <ProblemMessage error={history.error} />}
      {history.isPending && <Spinner label={t('user.loadingHistory')} />}
      {history.data && items.length === 0 && <Text>{t('user.noHistory')}</Text>}
      {items.length > 0 &&
        (phone ? (
          <ul className={styles.history} aria-label={t('user.history')}>
            {items.map((entry) => {
              const words = what(entry);
              return (
                <li key={`${entry.jobId}-${entry.productId}-${entry.action}`} className={styles.historyItem}>
                  <Text weight="semibold">{words.action}</Text>
                  <Text>{words.result}</Text>
                  {words.plans && <Text>{words.plans}</Text>}
                  <Text className={styles.muted}>{format.dateTime(entry.at)}</Text>
                </li>
              );
            })}
          </ul>
        ) : (
          <Table aria-label={t('user.history')} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('user.when')}</TableHeaderCell>
                <TableHeaderCell>{t('user.change')}</TableHeaderCell>
                <TableHeaderCell>{t('user.result')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((entry) => {
                const words = what(entry);
                return (
                  <TableRow key={`${entry.jobId}-${entry.productId}-${entry.action}`}>
                    <TableCell>{format.dateTime(entry.at)}</TableCell>
                    <TableCell>
                      {words.action}
                      {words.plans && <div className={styles.muted}>{words.plans}</div>}
                    </TableCell>
                    <TableCell>{words.result}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        ))}
      {history.data && history.data.total > 0 && (
        <Pager
          label={t('user.historyPages')}
          count={(count) => t('user.historyCount', { count })}
          list={history.data}
          pageSize={pageSize}
          onPage={setPage}
          onPageSize={setPageSize}
        />
      )}
    </section>
  );
}
