import { Field, Input } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { MembershipRule } from '../../api/types.ts';

export interface RuleText {
  departments: string;
  usageLocations: string;
  suffixes: string;
}

export const emptyRule: RuleText = { departments: '', usageLocations: '', suffixes: '' };

export function ruleText(rule: MembershipRule | null | undefined): RuleText {
  return {
    departments: (rule?.departments ?? []).join(', '),
    usageLocations: (rule?.usageLocations ?? []).join(', '),
    suffixes: (rule?.userPrincipalNameSuffixes ?? []).join(', '),
  };
}

/**
 * A dynamic group's membership rule: department, usage location and user principal name suffix,
 * each a list (a user matches any of its values); every condition filled in must hold.
 */
export function RuleFields({ value, onChange }: { value: RuleText; onChange: (value: RuleText) => void }) {
  const { t } = useTranslation('groups');
  return (
    <>
      <Field label={t('rule.departments')} hint={t('rule.departmentsHint')}>
        <Input value={value.departments} onChange={(_, d) => onChange({ ...value, departments: d.value })} />
      </Field>
      <Field label={t('rule.usageLocations')} hint={t('rule.usageLocationsHint')}>
        <Input value={value.usageLocations} onChange={(_, d) => onChange({ ...value, usageLocations: d.value })} />
      </Field>
      <Field label={t('rule.suffixes')} hint={t('rule.suffixesHint')}>
        <Input value={value.suffixes} onChange={(_, d) => onChange({ ...value, suffixes: d.value })} />
      </Field>
    </>
  );
}

/** A rule in words: "Department: Sales; usage location: Germany or Austria". */
export function useDescribeRule() {
  const { t } = useTranslation('groups');
  return (rule: MembershipRule, format: { orList: (items: string[]) => string; region: (code: string) => string }) =>
    [
      rule.departments?.length ? t('rule.describeDepartments', { values: format.orList(rule.departments) }) : '',
      rule.usageLocations?.length
        ? t('rule.describeUsageLocations', { values: format.orList(rule.usageLocations.map(format.region)) })
        : '',
      rule.userPrincipalNameSuffixes?.length
        ? t('rule.describeSuffixes', { values: format.orList(rule.userPrincipalNameSuffixes) })
        : '',
    ]
      .filter(Boolean)
      .join('; ');
}
