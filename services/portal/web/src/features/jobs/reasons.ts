// The one place where an error `code` becomes words. Codes are the API's contract and stay visible
// next to the words (support asks for them); the words are translations (locales/*/errors.json)
// that say what to do about it. A code the portal does not know shows the API's own message,
// which the API words in the language the portal asked for.
import { useMemo } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ChangeError, ResultChange } from '../../api/types.ts';
import { useFormat, type Format } from '../../i18n/format.ts';

type Names = ReadonlyMap<string, string>;

interface Words {
  t: TFunction<'errors'>;
  format: Format;
}

function productList(ids: string[] | undefined, names: Names, { t, format }: Words): string {
  const list = (ids ?? []).map((id) => names.get(id) ?? id);
  return list.length ? format.orList(list) : t('anotherProduct');
}

/** What a failure code means, without the specifics of one user. */
function summary(code: string, t: TFunction<'errors'>): string {
  switch (code) {
    case 'ProhibitedInUsageLocationViolation':
      return t('summary.ProhibitedInUsageLocationViolation');
    case 'MutuallyExclusiveViolation':
      return t('summary.MutuallyExclusiveViolation');
    case 'DependencyViolation':
      return t('summary.DependencyViolation');
    case 'CountViolation':
      return t('summary.CountViolation');
    case 'UserNotFound':
      return t('summary.UserNotFound');
    case 'LicenseInheritedFromGroup':
      return t('summary.LicenseInheritedFromGroup');
    case 'ChangedSinceJob':
      return t('summary.ChangedSinceJob');
    case 'cancelled':
      return t('summary.cancelled');
    default:
      return t('summary.other');
  }
}

/** One failed change of one user, in a sentence. */
function explain(change: ResultChange, error: ChangeError, names: Names, words: Words): string {
  const { t, format } = words;
  const product = names.get(change.productId) ?? change.productId;
  switch (error.code) {
    case 'ProhibitedInUsageLocationViolation':
      return t('explain.ProhibitedInUsageLocationViolation', { product });
    case 'MutuallyExclusiveViolation':
      return t('explain.MutuallyExclusiveViolation', {
        product,
        others: productList(
          error.productIds?.filter((id) => id !== change.productId),
          names,
          words,
        ),
      });
    case 'DependencyViolation':
      if (error.servicePlanIds?.length)
        return t('explain.DependencyViolationPlans', {
          product,
          plans: format.list(error.servicePlanIds.map((id) => names.get(id) ?? id)),
        });
      return change.action === 'revoke'
        ? t('explain.DependencyViolationRevoke', {
            product,
            others: error.requiredBy?.length
              ? format.list(error.requiredBy.map((id) => names.get(id) ?? id))
              : t('productsNeedingIt'),
          })
        : t('explain.DependencyViolationAssign', { product, others: productList(error.productIds, names, words) });
    case 'CountViolation':
      return t('explain.CountViolation', { product });
    case 'UserNotFound':
      return t('explain.UserNotFound');
    case 'LicenseInheritedFromGroup':
      return t('explain.LicenseInheritedFromGroup', { product });
    case 'ChangedSinceJob':
      return t('explain.ChangedSinceJob', { product });
    default:
      return error.message;
  }
}

/** What happened to one change of one user. */
function outcome(value: ResultChange['outcome'], t: TFunction<'errors'>): string {
  switch (value) {
    case 'assigned':
      return t('outcome.assigned');
    case 'updated':
      return t('outcome.updated');
    case 'unchanged':
      return t('outcome.unchanged');
    case 'revoked':
      return t('outcome.revoked');
    case 'not_assigned':
      return t('outcome.notAssigned');
    case 'inherited':
      return t('outcome.inherited');
    case 'skipped':
      return t('outcome.skipped');
    case 'failed':
      return t('outcome.failed');
    default:
      return value;
  }
}

/** The error texts in the chosen language. */
export function useErrorTexts() {
  const { t } = useTranslation('errors');
  const format = useFormat();
  return useMemo(
    () => ({
      summary: (code: string) => summary(code, t),
      explain: (change: ResultChange, error: ChangeError, names: Names) => explain(change, error, names, { t, format }),
      outcome: (value: ResultChange['outcome']) => outcome(value, t),
    }),
    [t, format],
  );
}
