import { useEffect, useMemo, useState } from 'react';
import {
  Button,
  Card,
  Checkbox,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  Text,
  Title2,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../../api/http.ts';
import type { OverviewProduct, Product } from '../../api/types.ts';
import { Link, navigate, paths } from '../../app/router.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../i18n/format.ts';
import { useCatalogNames, useProducts } from '../customers/api.ts';
import { useGroupNames } from '../groups/api.ts';
import { NeedsScope, useAccess } from '../keys/access.tsx';
import { describeFilter } from '../users/describe-filter.ts';
import { selectionRequest, useSelection, useSelectionInUrl } from '../users/selection.tsx';
import { useLicenseOverview, usePreview, useStartJob } from './api.ts';
import { BuyMoreDialog } from './BuyMoreDialog.tsx';
import {
  holders,
  initialChoice,
  licenseChanges,
  nextDesired,
  seatsNeeded,
  togglePlan,
  type ProductChoice,
} from './license-changes.ts';
import { PreviewPanel } from './PreviewPanel.tsx';
import { ScheduleControl } from './ScheduleControl.tsx';

const useStyles = makeStyles({
  products: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  product: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  productLine: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  productName: { minWidth: '320px', flexGrow: 1, '@media (max-width: 600px)': { minWidth: 'auto', flexBasis: '100%' } },
  seats: { minWidth: '150px' },
  noSeats: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  plans: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    paddingLeft: tokens.spacingHorizontalXXL,
    border: 'none',
    margin: 0,
  },
  plan: { display: 'flex', flexDirection: 'column', maxWidth: '320px' },
  planHint: {
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    paddingLeft: tokens.spacingHorizontalXXL,
  },
  inherited: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  cascade: { width: '100%', fontSize: tokens.fontSizeBase200 },
  legend: { padding: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, width: '100%' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
});

export function ManageLicensesPage({ customerId }: { customerId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('licenses');
  const { t: tUsers } = useTranslation('users');
  const { t: tc } = useTranslation();
  const format = useFormat();
  usePageTitle(t('title'));
  const { selection, count } = useSelection(customerId);
  useSelectionInUrl(customerId);
  const request = useMemo(() => selectionRequest(selection), [selection]);
  const overview = useLicenseOverview(customerId, request, count > 0);
  const products = useProducts();
  const catalogNames = useCatalogNames();
  const { groups } = useGroupNames(customerId);
  /** The customer's groups that give a product: where an inherited license comes from. */
  const grantingGroups = (productId: string) =>
    groups.filter((group) => group.licenses.some((l) => l.productId === productId));
  const preview = usePreview(customerId);
  const startJob = useStartJob(customerId);
  const [choices, setChoices] = useState<Map<string, ProductChoice>>(new Map());
  const [bought, setBought] = useState<{ count: number; product: string }>();
  // A product's plans show once it is ticked for everyone, or when asked for ("View service plans").
  const [plansShown, setPlansShown] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  // "Schedule for…": the change is saved as a job that starts then (undefined: at once).
  const [notBefore, setNotBefore] = useState<string>();
  // A key without licenses:write looks at everything and previews, but may not save.
  const saving = useAccess('licenses:write');
  // Per product: which other plans the last click turned on or off with the one clicked.
  const [cascades, setCascades] = useState<ReadonlyMap<string, string>>(new Map());

  const planName = (product: Product | undefined, planId: string) =>
    product?.servicePlans.find((plan) => plan.id === planId)?.name ?? catalogNames.get(planId) ?? planId;
  /** What a plan's dependencies mean for a click: what it needs, and what needs it. */
  const planHint = (product: Product | undefined, planId: string): string => {
    const plans = product?.servicePlans ?? [];
    const needs = (plans.find((plan) => plan.id === planId)?.requires ?? []).map((id) => planName(product, id));
    const neededBy = plans.filter((plan) => plan.requires?.includes(planId)).map((plan) => plan.name);
    return [
      needs.length ? t('planNeeds', { plans: format.list(needs) }) : '',
      neededBy.length ? t('planNeededBy', { plans: format.list(neededBy) }) : '',
    ]
      .filter(Boolean)
      .join(' ');
  };

  // Choices start from what the selection holds; a refetch (after "Buy more") keeps what was chosen.
  useEffect(() => {
    if (!overview.data) return;
    setChoices((current) => {
      const next = new Map(current);
      for (const product of overview.data.products)
        if (!next.has(product.productId)) next.set(product.productId, initialChoice(product));
      return next;
    });
  }, [overview.data]);

  const userNames = useMemo(
    () => new Map((overview.data?.users ?? []).map((user) => [user.id, user.displayName])),
    [overview.data],
  );
  const productNames = useMemo(
    () => new Map((overview.data?.products ?? []).map((p) => [p.productId, p.name])),
    [overview.data],
  );
  const changes = useMemo(() => licenseChanges(overview.data?.products ?? [], choices), [overview.data, choices]);
  const hasChanges = changes.assign.length + changes.revoke.length > 0;
  const body = {
    ...request,
    ...(changes.assign.length ? { assign: changes.assign } : {}),
    ...(changes.revoke.length ? { revoke: changes.revoke } : {}),
    ...(notBefore ? { notBefore } : {}),
  };

  function update(productId: string, change: (choice: ProductChoice) => ProductChoice) {
    setChoices((current) => {
      const choice = current.get(productId);
      if (!choice) return current;
      preview.reset();
      return new Map(current).set(productId, change(choice));
    });
  }

  if (count === 0)
    return (
      <>
        <Title2 as="h1">{t('title')}</Title2>
        <Text>
          {t('nobodySelected')} <Link href={paths.users(customerId)}>{t('selectUsers')}</Link>
        </Text>
      </>
    );

  function renderProduct(product: OverviewProduct) {
    const choice = choices.get(product.productId) ?? initialChoice(product);
    const held = holders(product);
    const holderNames = product.assignedUserIds.slice(0, 15).map((id) => userNames.get(id) ?? id);
    const needed = seatsNeeded(product, choice, count);
    const short = needed > product.available;
    const catalogProduct = products.data?.get(product.productId);
    const showPlans = plansShown.get(product.productId) ?? choice.desired === 'all';
    const plansId = `plans-${product.productId}`;
    return (
      <Card key={product.productId} className={styles.product} role="group" aria-label={product.name}>
        <div className={styles.productLine}>
          <Checkbox
            className={styles.productName}
            label={product.name}
            checked={choice.desired === 'all' ? true : choice.desired === 'none' ? false : 'mixed'}
            // Native indeterminate is not an attribute; say "mixed" where scripts and tests can read it too.
            input={{ 'aria-checked': choice.desired === 'mixed' ? 'mixed' : undefined }}
            onChange={() => update(product.productId, (c) => ({ ...c, desired: nextDesired(c.desired, product) }))}
          />
          <Tooltip
            relationship="description"
            content={
              held === 0
                ? t('heldByNone')
                : held > holderNames.length
                  ? t('heldByMany', { names: holderNames.join(', '), count: held - holderNames.length })
                  : t('heldBy', { names: format.list(holderNames) })
            }
          >
            <Button appearance="subtle" size="small">
              {t('assigned', { held, total: count })}
            </Button>
          </Tooltip>
          <Text className={mergeClasses(styles.seats, (product.available === 0 || short) && styles.noSeats)}>
            {t('available', { available: product.available, total: product.quantity })}
          </Text>
          {product.servicePlans.length > 0 && (
            <Button
              appearance="transparent"
              size="small"
              aria-expanded={showPlans}
              aria-controls={showPlans ? plansId : undefined}
              onClick={() => setPlansShown((shown) => new Map(shown).set(product.productId, !showPlans))}
            >
              {showPlans ? t('hidePlans') : t('viewPlans')}
            </Button>
          )}
          {(product.buyMore || short) && (
            <BuyMoreDialog
              customerId={customerId}
              product={product}
              suggested={Math.max(1, needed - product.available)}
              onBought={(added) => {
                startJob.reset(); // a refusal for want of seats no longer holds
                setBought({ count: added, product: product.name });
              }}
            />
          )}
        </div>
        {product.groupOnlyCount > 0 && (
          <Text className={styles.inherited}>
            {t('groupOnly', { count: product.groupOnlyCount })}
            {grantingGroups(product.productId).map((group, i) => (
              <span key={group.id}>
                {i === 0 ? ' ' : ', '}
                <Link href={paths.group(customerId, group.id)}>{group.name}</Link>
              </span>
            ))}
            {'. '}
            {choice.desired === 'none' || choice.desired === 'mixed' ? t('groupOnlyRevoke') : ''}
          </Text>
        )}
        {product.servicePlans.length > 0 && showPlans && (
          <fieldset className={styles.plans} id={plansId} disabled={choice.desired !== 'all'}>
            <legend className={styles.legend}>
              {choice.desired === 'all'
                ? t('plansOf', { product: product.name })
                : t('plansOfUnticked', { product: product.name })}
            </legend>
            {product.servicePlans.map((plan) => {
              const hint = planHint(catalogProduct, plan.id);
              const hintId = `${plansId}-${plan.id}-hint`;
              return (
                <div key={plan.id} className={styles.plan}>
                  <Checkbox
                    label={plan.name}
                    aria-label={t('planOf', { plan: plan.name, product: product.name })}
                    aria-describedby={hint ? hintId : undefined}
                    checked={choice.desired === 'all' && !choice.disabledPlans.has(plan.id)}
                    disabled={choice.desired !== 'all'}
                    onChange={(_, data) => {
                      const on = data.checked === true;
                      const next = togglePlan(catalogProduct, choice.disabledPlans, plan.id, on);
                      const also = [...(on ? choice.disabledPlans : next)]
                        .filter((id) => id !== plan.id && !(on ? next : choice.disabledPlans).has(id))
                        .map((id) => planName(catalogProduct, id));
                      setCascades((all) =>
                        new Map(all).set(
                          product.productId,
                          also.length === 0
                            ? ''
                            : on
                              ? t('plansAlsoOn', { plan: plan.name, plans: format.list(also) })
                              : t('plansAlsoOff', { plan: plan.name, plans: format.list(also) }),
                        ),
                      );
                      update(product.productId, (c) => ({
                        ...c,
                        plansTouched: true,
                        disabledPlans: togglePlan(catalogProduct, c.disabledPlans, plan.id, on),
                      }));
                    }}
                  />
                  {hint && (
                    <Text id={hintId} className={styles.planHint}>
                      {hint}
                    </Text>
                  )}
                </div>
              );
            })}
            <Text aria-live="polite" className={styles.cascade}>
              {cascades.get(product.productId) ?? ''}
            </Text>
          </fieldset>
        )}
      </Card>
    );
  }

  const shortages =
    startJob.error instanceof ApiProblem && startJob.error.code === 'insufficient_licenses'
      ? ((startJob.error.problem.shortages as { productId: string; required: number; available: number }[]) ?? [])
      : [];

  return (
    <>
      <Title2 as="h1">{t('title')}</Title2>
      <Text>
        {selection.kind === 'matching'
          ? t('forMatching', {
              description: describeFilter(selection.filter, selection.productNames, tUsers),
              count,
            })
          : t('forSelected', { count })}{' '}
        <Link href={paths.users(customerId)}>{t('changeSelection')}</Link>
      </Text>
      {overview.isPending && <Spinner label={t('loading')} />}
      {overview.error && <ProblemMessage error={overview.error} />}
      {bought && (
        <MessageBar intent="success">
          <MessageBarBody>{t('bought', bought)}</MessageBarBody>
        </MessageBar>
      )}
      {overview.data && overview.data.products.length === 0 && (
        <Text>
          {t('noSubscriptions')} <Link href={paths.subscriptions(customerId)}>{t('openSubscriptions')}</Link>
        </Text>
      )}
      {overview.data && (
        <section className={styles.products} aria-labelledby="products-title">
          <Subtitle2 as="h2" id="products-title">
            {t('products')}
          </Subtitle2>
          {overview.data.products.map(renderProduct)}
        </section>
      )}
      {preview.data && <PreviewPanel preview={preview.data} names={catalogNames} />}
      {preview.error && <ProblemMessage error={preview.error} title={t('previewFailed')} />}
      {startJob.error && (
        <ProblemMessage error={startJob.error} title={shortages.length ? t('notEnough') : t('notSaved')} />
      )}
      {shortages.length > 0 && (
        <Text>
          {t('shortages', {
            list: shortages
              .map((s) =>
                t('shortage', {
                  product: productNames.get(s.productId) ?? s.productId,
                  count: s.required,
                  available: s.available,
                }),
              )
              .join('; '),
          })}
        </Text>
      )}
      {saving.reason && (
        <MessageBar intent="info">
          <MessageBarBody>{saving.reason}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button disabled={!hasChanges || preview.isPending} onClick={() => preview.mutate(body)}>
          {t('preview.title')}
        </Button>
        <NeedsScope scope="licenses:write">
          {(allowed) => (
            <Button
              appearance="primary"
              disabled={allowed && (!hasChanges || startJob.isPending)}
              disabledFocusable={!allowed}
              onClick={() =>
                startJob.mutate(
                  {
                    body,
                    idempotencyKey: `${idempotencyKey}-${JSON.stringify(body).length}-${hash(JSON.stringify(body))}`,
                  },
                  { onSuccess: (job) => navigate(paths.job(customerId, job.id)) },
                )
              }
            >
              {startJob.isPending ? t('saving') : notBefore ? t('schedule.save') : t('save')}
            </Button>
          )}
        </NeedsScope>
        {saving.allowed && <ScheduleControl onChange={setNotBefore} />}
        <Button onClick={() => navigate(paths.users(customerId))}>{tc('cancel')}</Button>
        {!hasChanges && overview.data && <Text>{t('noChanges')}</Text>}
      </div>
    </>
  );
}

/** A short digest so that the same changes repeat the same idempotency key, and other changes get another. */
function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
