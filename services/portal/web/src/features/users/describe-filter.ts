import type { TFunction } from 'i18next';
import type { UserFilter } from '../../api/types.ts';

/** "All users matching “Ada”, holding Microsoft 365 E3", in the chosen language. */
export function describeFilter(
  filter: UserFilter,
  productNames: Readonly<Record<string, string>>,
  t: TFunction<'users'>,
): string {
  const name = (id: string) => productNames[id] ?? id;
  const parts: string[] = [];
  if (filter.search) parts.push(t('filter.matching', { search: filter.search }));
  if (filter.licensed === true) parts.push(t('filter.licensed'));
  if (filter.licensed === false) parts.push(t('filter.unlicensed'));
  if (filter.hasProduct) parts.push(t('filter.holding', { product: name(filter.hasProduct) }));
  if (filter.lacksProduct) parts.push(t('filter.notHolding', { product: name(filter.lacksProduct) }));
  return parts.length ? t('filter.allWith', { parts: parts.join(', ') }) : t('filter.all');
}
