import { useEffect, useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
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
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Group, GroupImpact, GroupLicense, LicenseState, Subscription, User } from '../../api/types.ts';
import { Link, navigate, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { setListParams, usePageParams } from '../../components/useListParams.ts';
import { PHONE, useMediaQuery } from '../../components/useMediaQuery.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../i18n/format.ts';
import { useCatalogNames, useProducts, useSubscriptions } from '../customers/api.ts';
import { JobStatusBadge } from '../jobs/JobStatusBadge.tsx';
import { useErrorTexts } from '../jobs/reasons.ts';
import { NeedsScope, useAccess } from '../keys/access.tsx';
import { BuyMoreDialog } from '../licenses/BuyMoreDialog.tsx';
import { togglePlan } from '../licenses/license-changes.ts';
import {
  type MemberState,
  afterDialogCloses,
  groupVersion,
  isImpact,
  memberStates,
  useGroup,
  useGroupJobs,
  useGroupMembers,
  useReprocessGroup,
  useSetGroupLicenses,
} from './api.ts';
import { DeleteGroupDialog } from './GroupDialogs.tsx';
import { GroupTypeBadge } from './GroupsPage.tsx';
import { ImpactPanel } from './ImpactPanel.tsx';
import { AddMembersDialog, EditRuleDialog, RemoveMemberDialog } from './MemberDialogs.tsx';
import { useDescribeRule } from './RuleFields.tsx';

const useStyles = makeStyles({
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    margin: 0,
    overflowWrap: 'anywhere',
    '@media (max-width: 600px)': { gridTemplateColumns: '1fr' },
  },
  term: { color: tokens.colorNeutralForeground3 },
  definition: { margin: 0 },
  product: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  productLine: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  productName: { minWidth: '280px', flexGrow: 1, '@media (max-width: 600px)': { minWidth: 'auto', flexBasis: '100%' } },
  noSeats: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  plans: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    paddingLeft: tokens.spacingHorizontalXXL,
    border: 'none',
    margin: 0,
  },
  legend: { padding: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, width: '100%' },
  states: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '2px' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    overflowWrap: 'anywhere',
  },
  line: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'end', flexWrap: 'wrap' },
});

function memberStateName(state: MemberState, t: TFunction<'groups'>): string {
  switch (state) {
    case 'all':
      return t('membersFilter.all');
    case 'active':
      return t('membersFilter.active');
    case 'waiting':
      return t('membersFilter.waiting');
    case 'error':
      return t('membersFilter.error');
  }
}

/** One group: what it grants, who is in it and where each member stands, and its processing jobs. */
export function GroupPage({ customerId, groupId }: { customerId: string; groupId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('groups');
  const format = useFormat();
  const describeRule = useDescribeRule();
  const group = useGroup(customerId, groupId);
  const reprocess = useReprocessGroup(customerId, groupId);
  usePageTitle(group.data?.name ?? t('group.title'));
  if (group.error) return <ProblemMessage error={group.error} />;
  if (!group.data) return <Spinner label={t('group.loading')} />;
  const g = group.data;
  const processing = g.processing.state !== 'idle';
  return (
    <>
      <div className={styles.header}>
        <Title2 as="h1">{g.name}</Title2>
        <GroupTypeBadge group={g} />
      </div>
      <dl className={styles.facts}>
        {g.description && (
          <>
            <dt className={styles.term}>{t('description')}</dt>
            <dd className={styles.definition}>{g.description}</dd>
          </>
        )}
        <dt className={styles.term}>{t('group.membership')}</dt>
        <dd className={styles.definition}>
          {g.membershipRule ? t('group.ruleIs', { rule: describeRule(g.membershipRule, format) }) : t('group.staticIs')}
        </dd>
        <dt className={styles.term}>{t('members')}</dt>
        <dd className={styles.definition}>{t('memberCount', { count: g.memberCount })}</dd>
        <dt className={styles.term}>{t('group.processing')}</dt>
        <dd className={styles.definition} aria-live="polite">
          {processing ? t('group.processingUsers', { count: g.processing.pendingUsers }) : t('group.upToDate')}
        </dd>
      </dl>
      <div className={styles.actions}>
        {g.membershipRule && <EditRuleDialog customerId={customerId} group={g} />}
        {!g.membershipRule && <AddMembersDialog customerId={customerId} group={g} />}
        <NeedsScope scope="licenses:write">
          {(allowed) => (
            <Button
              disabled={allowed && (reprocess.isPending || (g.membersWaiting === 0 && g.membersWithErrors === 0))}
              disabledFocusable={!allowed}
              onClick={() => reprocess.mutate()}
            >
              {t('group.reprocess')}
            </Button>
          )}
        </NeedsScope>
        <DeleteGroupDialog
          customerId={customerId}
          group={g}
          appearance="secondary"
          onDeleted={() => afterDialogCloses(() => navigate(paths.groups(customerId)))}
        />
      </div>
      {reprocess.error && <ProblemMessage error={reprocess.error} />}
      <WaitingForSeats customerId={customerId} group={g} />
      <GroupLicenses customerId={customerId} group={g} />
      <GroupMembers customerId={customerId} group={g} />
      <GroupJobs customerId={customerId} group={g} />
    </>
  );
}

/** "N waiting for seats": per product the group grants that has members waiting, with Buy more. */
function WaitingForSeats({ customerId, group }: { customerId: string; group: Group }) {
  const { t } = useTranslation('groups');
  const styles = useStyles();
  const subscriptions = useSubscriptions(customerId);
  const queryClient = useQueryClient();
  const [bought, setBought] = useState<string>();
  // Who waits for which product moves with the group's counts: the seats are read again with them.
  const { refetch } = subscriptions;
  const waiting = group.membersWaiting;
  useEffect(() => {
    if (waiting >= 0) void refetch();
  }, [waiting, refetch]);
  if (group.membersWaiting === 0 && !bought) return null;
  const granted = new Set(group.licenses.map((l) => l.productId));
  const short = (subscriptions.data?.items ?? []).filter(
    (s) => granted.has(s.productId) && (s.waiting > 0 || s.available === 0),
  );
  return (
    <MessageBar intent={group.membersWaiting > 0 ? 'warning' : 'success'} layout="multiline">
      <MessageBarBody>
        {group.membersWaiting > 0 && (
          <MessageBarTitle>{t('waiting.title', { count: group.membersWaiting })}</MessageBarTitle>
        )}
        {group.membersWaiting > 0 ? t('waiting.explain') : bought}
        {group.membersWaiting > 0 && (
          <div className={styles.actions}>
            {short.map((s) => (
              <span key={s.productId} className={styles.line}>
                <Text>{t('waiting.product', { product: s.productName, count: s.waiting })}</Text>
                <BuyMoreDialog
                  customerId={customerId}
                  product={{
                    productId: s.productId,
                    name: s.productName,
                    quantity: s.quantity,
                    available: s.available,
                  }}
                  suggested={Math.max(1, s.waiting - s.available)}
                  onBought={(added) => {
                    setBought(t('waiting.bought', { count: added, product: s.productName }));
                    void queryClient.invalidateQueries({ queryKey: ['customer', customerId] });
                  }}
                />
              </span>
            ))}
          </div>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

interface Choice {
  on: boolean;
  disabledPlans: ReadonlySet<string>;
}

function choicesOf(group: Group): Map<string, Choice> {
  return new Map(
    group.licenses.map((l) => [l.productId, { on: true, disabledPlans: new Set(l.disabledServicePlans) }]),
  );
}

/**
 * The products every member should hold, with their service plans. A change is first asked as a
 * dry run: its impact over every member is shown, and only then can it be sent, with the number of
 * users who would lose a license as the confirmation.
 */
function GroupLicenses({ customerId, group }: { customerId: string; group: Group }) {
  const styles = useStyles();
  const { t } = useTranslation('groups');
  const { t: tl } = useTranslation('licenses');
  const subscriptions = useSubscriptions(customerId);
  const products = useProducts();
  const names = useCatalogNames();
  const setLicenses = useSetGroupLicenses(customerId, group.id);
  const dryRun = useSetGroupLicenses(customerId, group.id);
  const saving = useAccess('licenses:write');
  const [choices, setChoices] = useState<Map<string, Choice>>(() => choicesOf(group));
  const [plansShown, setPlansShown] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [impact, setImpact] = useState<{ for: string; impact: GroupImpact }>();
  const [saved, setSaved] = useState(false);
  // The group as saved is the starting point again once it changes (a save, another tab).
  const groupKey = JSON.stringify(group.licenses);
  const [seen, setSeen] = useState(groupKey);
  if (seen !== groupKey) {
    setSeen(groupKey);
    setChoices(choicesOf(group));
  }

  const licenses: GroupLicense[] = useMemo(
    () =>
      [...choices.entries()]
        .filter(([, c]) => c.on)
        .map(([productId, c]) => ({ productId, disabledServicePlans: [...c.disabledPlans].sort() }))
        .sort((a, b) => a.productId.localeCompare(b.productId)),
    [choices],
  );
  const proposal = JSON.stringify(licenses);
  const current = JSON.stringify(
    [...group.licenses]
      .map((l) => ({ productId: l.productId, disabledServicePlans: [...l.disabledServicePlans].sort() }))
      .sort((a, b) => a.productId.localeCompare(b.productId)),
  );
  const changed = proposal !== current;
  const reviewed = impact?.for === proposal ? impact.impact : undefined;

  function update(productId: string, change: (choice: Choice) => Choice) {
    setSaved(false);
    setChoices((all) =>
      new Map(all).set(productId, change(all.get(productId) ?? { on: false, disabledPlans: new Set() })),
    );
  }

  const items: Subscription[] = subscriptions.data?.items ?? [];
  return (
    <section className={styles.section} aria-labelledby="group-products">
      <Subtitle2 as="h2" id="group-products">
        {t('licenses.title')}
      </Subtitle2>
      <Text>{t('licenses.explain')}</Text>
      {subscriptions.error && <ProblemMessage error={subscriptions.error} />}
      {subscriptions.data && items.length === 0 && (
        <Text>
          {tl('noSubscriptions')} <Link href={paths.subscriptions(customerId)}>{tl('openSubscriptions')}</Link>
        </Text>
      )}
      {items.map((s) => {
        const choice = choices.get(s.productId) ?? { on: false, disabledPlans: new Set<string>() };
        const catalogProduct = products.data?.get(s.productId);
        const plans = catalogProduct?.servicePlans ?? [];
        const showPlans = plansShown.get(s.productId) ?? choice.on;
        const plansId = `group-plans-${s.productId}`;
        return (
          <Card key={s.productId} className={styles.product} role="group" aria-label={s.productName}>
            <div className={styles.productLine}>
              <Checkbox
                className={styles.productName}
                label={s.productName}
                checked={choice.on}
                disabled={!saving.allowed}
                onChange={(_, d) => update(s.productId, (c) => ({ ...c, on: d.checked === true }))}
              />
              <Text className={s.available === 0 ? styles.noSeats : undefined}>
                {tl('available', { available: s.available, total: s.quantity })}
              </Text>
              {plans.length > 0 && (
                <Button
                  appearance="transparent"
                  size="small"
                  aria-expanded={showPlans}
                  aria-controls={showPlans ? plansId : undefined}
                  onClick={() => setPlansShown((shown) => new Map(shown).set(s.productId, !showPlans))}
                >
                  {showPlans ? tl('hidePlans') : tl('viewPlans')}
                </Button>
              )}
            </div>
            {plans.length > 0 && showPlans && (
              <fieldset className={styles.plans} id={plansId} disabled={!choice.on || !saving.allowed}>
                <legend className={styles.legend}>
                  {choice.on
                    ? tl('plansOf', { product: s.productName })
                    : t('licenses.plansOfUnticked', { product: s.productName })}
                </legend>
                {plans.map((plan) => (
                  <Checkbox
                    key={plan.id}
                    label={plan.name}
                    aria-label={tl('planOf', { plan: plan.name, product: s.productName })}
                    checked={choice.on && !choice.disabledPlans.has(plan.id)}
                    disabled={!choice.on || !saving.allowed}
                    onChange={(_, d) =>
                      update(s.productId, (c) => ({
                        ...c,
                        disabledPlans: togglePlan(catalogProduct, c.disabledPlans, plan.id, d.checked === true),
                      }))
                    }
                  />
                ))}
              </fieldset>
            )}
          </Card>
        );
      })}
      {reviewed && <ImpactPanel impact={reviewed} names={names} />}
      {dryRun.error && <ProblemMessage error={dryRun.error} title={t('licenses.previewFailed')} />}
      {setLicenses.error && <ProblemMessage error={setLicenses.error} title={t('licenses.notSaved')} />}
      {saved && !changed && (
        <MessageBar intent="success">
          <MessageBarBody>{t('licenses.saved')}</MessageBarBody>
        </MessageBar>
      )}
      {saving.reason && (
        <MessageBar intent="info">
          <MessageBarBody>{saving.reason}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <NeedsScope scope="licenses:write">
          {(allowed) =>
            reviewed ? (
              <Button
                appearance="primary"
                disabled={allowed && setLicenses.isPending}
                disabledFocusable={!allowed}
                onClick={() =>
                  setLicenses.mutate(
                    { licenses, confirmRemovals: reviewed.usersLosing },
                    {
                      onSuccess: () => {
                        setImpact(undefined);
                        setSaved(true);
                      },
                    },
                  )
                }
              >
                {reviewed.usersLosing > 0
                  ? t('licenses.confirmRemovals', { count: reviewed.usersLosing })
                  : t('licenses.confirm')}
              </Button>
            ) : (
              <Button
                appearance="primary"
                disabled={allowed && (!changed || dryRun.isPending)}
                disabledFocusable={!allowed}
                onClick={() =>
                  dryRun.mutate(
                    { licenses, dryRun: true },
                    {
                      onSuccess: (answer) => {
                        if (isImpact(answer)) setImpact({ for: proposal, impact: answer });
                      },
                    },
                  )
                }
              >
                {t('licenses.review')}
              </Button>
            )
          }
        </NeedsScope>
        {changed && (
          <Button
            onClick={() => {
              setChoices(choicesOf(group));
              setImpact(undefined);
              dryRun.reset();
              setLicenses.reset();
            }}
          >
            {t('licenses.discard')}
          </Button>
        )}
        {!changed && !saved && <Text className={styles.muted}>{t('licenses.noChanges')}</Text>}
      </div>
    </section>
  );
}

/** A member's states in this group, one line per product: active, waiting for a seat, or why not. */
function MemberStates({ user, group }: { user: User; group: Group }) {
  const styles = useStyles();
  const { t } = useTranslation('groups');
  const names = useCatalogNames();
  const errors = useErrorTexts();
  const format = useFormat();
  const states = user.licenseStates.filter((s) => s.groupId === group.id);
  if (states.length === 0) return <span className={styles.muted}>{t('state.none')}</span>;
  return (
    <ul className={styles.states}>
      {states.map((s) => (
        <li key={s.productId}>
          <StateBadge state={s} />{' '}
          {t('state.line', {
            product: names.get(s.productId) ?? s.productId,
            since: format.dateTime(s.since),
          })}
          {s.error && s.state === 'error' && (
            <div>
              {errors.explain({ productId: s.productId, action: 'assign', outcome: 'failed' }, s.error, names)}{' '}
              <span className={styles.muted}>{t('state.code', { code: s.error.code })}</span>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

function StateBadge({ state }: { state: LicenseState }) {
  const { t } = useTranslation('groups');
  switch (state.state) {
    case 'active':
      return (
        <Badge appearance="tint" color="success">
          {t('state.active')}
        </Badge>
      );
    case 'waiting':
      return (
        <Badge appearance="tint" color="warning">
          {t('state.waiting')}
        </Badge>
      );
    case 'error':
      return (
        <Badge appearance="tint" color="danger">
          {t('state.error')}
        </Badge>
      );
  }
}

/** The members, filtered by state (`?state=waiting`), with the remove action of a static group. */
function GroupMembers({ customerId, group }: { customerId: string; group: Group }) {
  const styles = useStyles();
  const { t } = useTranslation('groups');
  const phone = useMediaQuery(PHONE);
  const { params, page, pageSize, setPage, setPageSize } = usePageParams();
  const state = memberStates.find((s) => s === params.get('state')) ?? 'all';
  const members = useGroupMembers(
    customerId,
    group.id,
    { state, page, pageSize },
    groupVersion(group),
    group.processing.state !== 'idle',
  );
  const items = (members.data?.items ?? []) as User[];
  const remove = (user: User) =>
    group.membershipRule ? null : <RemoveMemberDialog customerId={customerId} group={group} user={user} />;
  return (
    <section className={styles.section} aria-labelledby="group-members">
      <Subtitle2 as="h2" id="group-members">
        {t('members')}
      </Subtitle2>
      <search className={styles.toolbar}>
        <Field label={t('membersFilter.label')}>
          <Select
            value={state}
            onChange={(_, d) => setListParams({ state: d.value === 'all' ? undefined : d.value, page: 1 })}
          >
            {memberStates.map((s) => (
              <option key={s} value={s}>
                {memberStateName(s, t)}
              </option>
            ))}
          </Select>
        </Field>
      </search>
      {members.error && <ProblemMessage error={members.error} />}
      {members.isPending && <Spinner label={t('group.loadingMembers')} />}
      {members.data && members.data.total === 0 && (
        <Text>{state === 'all' ? t('noMembers') : t('membersFilter.noMatch')}</Text>
      )}
      {members.data &&
        members.data.total > 0 &&
        (phone ? (
          <ul className={styles.list} aria-label={t('members')}>
            {items.map((user) => (
              <li key={user.id} className={styles.item}>
                <span className={styles.line}>
                  <Link href={paths.user(customerId, user.id)}>{user.displayName}</Link>
                  {remove(user)}
                </span>
                <span className={styles.muted}>{user.userPrincipalName}</span>
                <MemberStates user={user} group={group} />
              </li>
            ))}
          </ul>
        ) : (
          <Table aria-label={t('members')} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('member.name')}</TableHeaderCell>
                <TableHeaderCell>{t('member.userPrincipalName')}</TableHeaderCell>
                <TableHeaderCell>{t('member.state')}</TableHeaderCell>
                {!group.membershipRule && <TableHeaderCell>{t('actions')}</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((user) => (
                <TableRow key={user.id}>
                  <TableCell>
                    <Link href={paths.user(customerId, user.id)}>{user.displayName}</Link>
                  </TableCell>
                  <TableCell>{user.userPrincipalName}</TableCell>
                  <TableCell>
                    <MemberStates user={user} group={group} />
                  </TableCell>
                  {!group.membershipRule && <TableCell>{remove(user)}</TableCell>}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ))}
      {members.data && members.data.total > 0 && (
        <Pager
          label={t('memberPages')}
          count={(count) => t('memberCount', { count })}
          list={members.data}
          pageSize={pageSize}
          onPage={setPage}
          onPageSize={setPageSize}
        />
      )}
    </section>
  );
}

/** The jobs that applied this group's changes to its members (newest first), linked to their reports. */
function GroupJobs({ customerId, group }: { customerId: string; group: Group }) {
  const styles = useStyles();
  const { t } = useTranslation('groups');
  const format = useFormat();
  const jobs = useGroupJobs(customerId, group.id, groupVersion(group), group.processing.state !== 'idle');
  const items = jobs.data?.items ?? [];
  return (
    <section className={styles.section} aria-labelledby="group-jobs">
      <Subtitle2 as="h2" id="group-jobs">
        {t('jobs.title')}
      </Subtitle2>
      {jobs.error && <ProblemMessage error={jobs.error} />}
      {jobs.data && items.length === 0 && <Text>{t('jobs.none')}</Text>}
      {items.length > 0 && (
        <ul className={styles.list} aria-label={t('jobs.title')}>
          {items.map((job) => (
            <li key={job.id} className={styles.item}>
              <span className={styles.line}>
                <Link href={paths.job(customerId, job.id)}>
                  {t('jobs.job', { at: format.dateTime(job.createdAt), count: job.request.userCount })}
                </Link>
                <JobStatusBadge status={job.status} />
              </span>
              <Text className={styles.muted}>
                {t('jobs.progress', {
                  succeeded: job.progress.succeeded,
                  failed: job.progress.failed,
                  pending: job.progress.pending,
                })}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
