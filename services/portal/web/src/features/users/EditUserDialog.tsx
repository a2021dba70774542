import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types.ts';
import { DialogButton, DialogForm } from '../../components/FormDialog.tsx';
import { useUpdateUser } from './api.ts';
import { UserFields, useUsageLocation } from './UserFields.tsx';

const fieldsOf = (user: User) => ({
  displayName: user.displayName,
  usageLocation: user.usageLocation ?? '',
  department: user.department ?? '',
});

/**
 * Edit a user's display name, usage location and department (PATCH). An empty usage location or
 * department clears it: the customer's country applies again. The region error of a job tells the
 * partner to change the usage location; this is where they do. A row's button: the form, its state
 * and its mutation exist once the dialog is opened.
 */
export function EditUserDialog({
  customerId,
  user,
  appearance = 'subtle',
}: {
  customerId: string;
  user: User;
  appearance?: 'subtle' | 'secondary';
}) {
  const { t } = useTranslation('users');
  return (
    <DialogButton
      trigger={{
        size: appearance === 'subtle' ? 'small' : 'medium',
        appearance,
        'aria-label': t('edit.named', { name: user.displayName }),
        children: t('edit.button'),
      }}
      scope="users:write"
    >
      <EditUserForm customerId={customerId} user={user} />
    </DialogButton>
  );
}

function EditUserForm({ customerId, user }: { customerId: string; user: User }) {
  const { t } = useTranslation('users');
  const [fields, setFields] = useState(() => fieldsOf(user));
  const update = useUpdateUser(customerId, user.id);
  const location = useUsageLocation(fields.usageLocation);
  return (
    <DialogForm
      title={t('edit.title', { name: user.displayName })}
      mutation={update}
      onSubmit={() =>
        update.mutateAsync({
          displayName: fields.displayName.trim(),
          usageLocation: location.code || null,
          department: fields.department.trim() || null,
        })
      }
      submitLabel={t('edit.save')}
      canSubmit={Boolean(fields.displayName.trim())}
    >
      <UserFields {...fields} onChange={(field, value) => setFields((now) => ({ ...now, [field]: value }))} />
    </DialogForm>
  );
}
