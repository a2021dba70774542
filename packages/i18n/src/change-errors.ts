// The one catalog of per-user error messages: why one change of one user failed, by the error's
// `code`, in every language the API speaks. The worker stores the error's code and fields (never
// words only); the API words the message in the language each reader asks for, in results,
// previews and CSV. Products and plans are named by the names given (the catalog's), else by id.
import type { Language } from './language.ts';
import { list, quote, quoteAll } from './words.ts';

/** The fields of a change error the message is built from (see ChangeError in packages/domain). */
export interface ChangeErrorFields {
  code: string;
  productIds?: string[];
  servicePlanIds?: string[];
  /** ProhibitedInUsageLocationViolation: the user's usage location the product is not sold in. */
  usageLocation?: string;
  /** DependencyViolation of a revoke: the held products that need the revoked one. */
  requiredBy?: string[];
  /** LicenseInheritedFromGroup: the groups the user holds the product through. */
  groupIds?: string[];
  /** ChangedSinceJob: the later jobs that changed the license since the job being reverted. */
  jobIds?: string[];
}

export interface ChangeFields {
  productId: string;
  action: 'assign' | 'revoke';
}

/** Names of products and service plans by id; an id without a name stands for itself. */
export type Names = (id: string) => string | undefined;

type Message = (change: ChangeFields, error: ChangeErrorFields, name: (id: string) => string) => string;

const regionNames = new Map<Language, Intl.DisplayNames>();
function region(language: Language, code: string | undefined): string {
  if (!code) return '';
  let names = regionNames.get(language);
  if (!names) {
    names = new Intl.DisplayNames([language], { type: 'region' });
    regionNames.set(language, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The other products that would do instead of the revoked one, worded by `wrap`; empty when none. */
function alternatives(
  language: Language,
  change: ChangeFields,
  error: ChangeErrorFields,
  name: (id: string) => string,
  wrap: (list: string) => string,
): string {
  const others = (error.productIds ?? []).filter((id) => id !== change.productId).map(name);
  return others.length ? wrap(quoteAll(language, others, 'disjunction')) : '';
}

export const CHANGE_ERROR_MESSAGES: Record<string, Record<Language, Message>> = {
  ProhibitedInUsageLocationViolation: {
    en: (change, error, name) =>
      error.usageLocation
        ? `Product ${quote('en', name(change.productId))} is not available in usage location ${quote('en', error.usageLocation)} (${region('en', error.usageLocation)})`
        : `Product ${quote('en', name(change.productId))} is not available in the user's usage location`,
    ru: (change, error, name) =>
      error.usageLocation
        ? `Продукт ${quote('ru', name(change.productId))} недоступен в расположении для использования ${quote('ru', error.usageLocation)} (${region('ru', error.usageLocation)})`
        : `Продукт ${quote('ru', name(change.productId))} недоступен в расположении пользователя для использования`,
  },
  MutuallyExclusiveViolation: {
    en: (change, error, name) =>
      `Product ${quote('en', name(change.productId))} cannot be held together with ${quoteAll(
        'en',
        (error.productIds ?? []).filter((id) => id !== change.productId).map(name),
      )}`,
    ru: (change, error, name) =>
      `Продукт ${quote('ru', name(change.productId))} нельзя совмещать с ${quoteAll(
        'ru',
        (error.productIds ?? []).filter((id) => id !== change.productId).map(name),
      )}`,
  },
  DependencyViolation: {
    en: (change, error, name) => {
      if (error.servicePlanIds?.length)
        return `A service plan of ${quote('en', name(change.productId))} requires ${quoteAll('en', error.servicePlanIds.map(name))}, which would be disabled`;
      if (change.action === 'revoke')
        return `${quoteAll('en', (error.requiredBy ?? []).map(name))} ${
          (error.requiredBy ?? []).length > 1 ? 'require' : 'requires'
        } ${quote('en', name(change.productId))}${alternatives('en', change, error, name, (l) => ` (or ${l})`)}, so it cannot be revoked; remove ${list(
          'en',
          (error.requiredBy ?? []).map((id) => quote('en', name(id))),
        )} first`;
      return `Product ${quote('en', name(change.productId))} requires one of ${quoteAll('en', (error.productIds ?? []).map(name), 'disjunction')}`;
    },
    ru: (change, error, name) => {
      if (error.servicePlanIds?.length)
        return `Плану обслуживания продукта ${quote('ru', name(change.productId))} нужны ${quoteAll('ru', error.servicePlanIds.map(name))}, а они были бы отключены`;
      if (change.action === 'revoke')
        return `${quoteAll('ru', (error.requiredBy ?? []).map(name))} ${
          (error.requiredBy ?? []).length > 1 ? 'требуют' : 'требует'
        } ${quote('ru', name(change.productId))}${alternatives('ru', change, error, name, (l) => ` (или ${l})`)}, поэтому его нельзя отозвать; сначала удалите ${list(
          'ru',
          (error.requiredBy ?? []).map((id) => quote('ru', name(id))),
        )}`;
      return `Продукту ${quote('ru', name(change.productId))} нужен один из продуктов: ${quoteAll('ru', (error.productIds ?? []).map(name), 'disjunction')}`;
    },
  },
  CountViolation: {
    en: (change, _error, name) => `No license of ${quote('en', name(change.productId))} is available`,
    ru: (change, _error, name) => `Нет доступной лицензии ${quote('ru', name(change.productId))}`,
  },
  UserNotFound: {
    en: () => 'The user no longer exists',
    ru: () => 'Пользователь больше не существует',
  },
  ChangedSinceJob: {
    en: (change, error, name) => {
      const jobs = error.jobIds ?? [];
      return jobs.length
        ? `The license of ${quote('en', name(change.productId))} was changed by a later job (${list('en', jobs)}); it is left as it is`
        : `The license of ${quote('en', name(change.productId))} is no longer as the job left it; it is left as it is`;
    },
    ru: (change, error, name) => {
      const jobs = error.jobIds ?? [];
      return jobs.length
        ? `Лицензию ${quote('ru', name(change.productId))} изменило более позднее задание (${list('ru', jobs)}); она оставлена как есть`
        : `Лицензия ${quote('ru', name(change.productId))} уже не такая, какой ее оставило задание; она оставлена как есть`;
    },
  },
  LicenseInheritedFromGroup: {
    en: (change, error, name) => {
      const groups = error.groupIds ?? [];
      return `Product ${quote('en', name(change.productId))} is assigned through ${groups.length === 1 ? 'a group' : 'groups'} (${quoteAll('en', groups.map(name))}); remove the user from the group or the product from the group instead`;
    },
    ru: (change, error, name) => {
      const groups = error.groupIds ?? [];
      return `Продукт ${quote('ru', name(change.productId))} назначен через ${groups.length === 1 ? 'группу' : 'группы'} (${quoteAll('ru', groups.map(name))}); вместо этого удалите пользователя из группы или продукт из группы`;
    },
  },
};

/** The message of a change error in the language; a code without texts keeps `fallback` (its stored words). */
export function changeErrorMessage(
  change: ChangeFields,
  error: ChangeErrorFields,
  language: Language,
  options: { names?: Names; fallback?: string } = {},
): string {
  const message = CHANGE_ERROR_MESSAGES[error.code]?.[language];
  if (!message) return options.fallback ?? error.code;
  const names = options.names;
  return message(change, error, (id) => names?.(id) ?? id);
}
