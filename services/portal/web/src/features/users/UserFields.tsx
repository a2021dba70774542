import { Field, Input } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';

/** A usage location as typed: upper case, and the region's name when it is a two-letter code. */
export function useUsageLocation(typed: string) {
  const format = useFormat();
  const code = typed.trim().toUpperCase();
  return { code, name: /^[A-Z]{2}$/.test(code) ? format.region(code) : '' };
}

/** The display name, usage location and department fields a new or edited user shares. */
export function UserFields({
  displayName,
  usageLocation,
  department,
  onChange,
}: {
  displayName: string;
  usageLocation: string;
  department: string;
  onChange: (field: 'displayName' | 'usageLocation' | 'department', value: string) => void;
}) {
  const { t } = useTranslation('users');
  const location = useUsageLocation(usageLocation);
  return (
    <>
      <Field label={t('edit.displayName')} required>
        <Input value={displayName} maxLength={256} onChange={(_, data) => onChange('displayName', data.value)} />
      </Field>
      <Field
        label={t('usageLocation')}
        hint={location.name ? t('edit.usageLocationIs', { name: location.name }) : t('edit.usageLocationHint')}
      >
        <Input value={usageLocation} maxLength={2} onChange={(_, data) => onChange('usageLocation', data.value)} />
      </Field>
      <Field label={t('department')} hint={t('edit.departmentHint')}>
        <Input value={department} maxLength={64} onChange={(_, data) => onChange('department', data.value)} />
      </Field>
    </>
  );
}
