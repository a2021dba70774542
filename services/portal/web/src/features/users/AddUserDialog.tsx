import { useState } from 'react';
import { Field, Input } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { useCreateUser } from './api.ts';
import { UserFields, useUsageLocation } from './UserFields.tsx';

const blank = { displayName: '', usageLocation: '', department: '' };

/** Add one user (POST): user principal name and display name, usage location and department if known. */
export function AddUserDialog({ customerId, onAdded }: { customerId: string; onAdded: (user: User) => void }) {
  const { t } = useTranslation('users');
  const [userPrincipalName, setUserPrincipalName] = useState('');
  const [fields, setFields] = useState(blank);
  const create = useCreateUser(customerId);
  const location = useUsageLocation(fields.usageLocation);
  const department = fields.department.trim();

  return (
    <FormDialog
      trigger={{ children: t('add.button') }}
      scope="users:write"
      title={t('add.title')}
      mutation={create}
      onOpen={() => {
        setUserPrincipalName('');
        setFields(blank);
      }}
      onSubmit={() =>
        create
          .mutateAsync({
            userPrincipalName: userPrincipalName.trim(),
            displayName: fields.displayName.trim(),
            ...(location.code ? { usageLocation: location.code } : {}),
            ...(department ? { department } : {}),
          })
          .then(onAdded)
      }
      submitLabel={t('add.submit')}
      canSubmit={Boolean(userPrincipalName.trim() && fields.displayName.trim())}
    >
      <Field label={t('userPrincipalName')} hint={t('add.userPrincipalNameHint')} required>
        <Input
          type="email"
          value={userPrincipalName}
          maxLength={256}
          onChange={(_, data) => setUserPrincipalName(data.value)}
        />
      </Field>
      <UserFields {...fields} onChange={(field, value) => setFields((now) => ({ ...now, [field]: value }))} />
    </FormDialog>
  );
}
