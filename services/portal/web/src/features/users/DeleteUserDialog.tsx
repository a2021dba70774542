import { Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { DialogButton, DialogForm } from '../../components/FormDialog.tsx';
import type { SelectedUser } from './selection.tsx';
import { useDeleteUser } from './api.ts';

/**
 * Delete a user after a confirmation that says what goes with it: the user and its licenses (their
 * seats become available again). Cannot be undone. A row's button: the confirmation and its
 * mutation exist once the dialog is opened.
 */
export function DeleteUserDialog({
  customerId,
  user,
  onDeleted,
  appearance = 'subtle',
}: {
  customerId: string;
  user: SelectedUser;
  onDeleted: () => void;
  appearance?: 'subtle' | 'secondary';
}) {
  const { t } = useTranslation('users');
  return (
    <DialogButton
      trigger={{
        size: appearance === 'subtle' ? 'small' : 'medium',
        appearance,
        'aria-label': t('delete.named', { name: user.displayName }),
        children: t('delete.button'),
      }}
      scope="users:write"
      modalType="alert"
    >
      <DeleteUserConfirm customerId={customerId} user={user} onDeleted={onDeleted} />
    </DialogButton>
  );
}

function DeleteUserConfirm({
  customerId,
  user,
  onDeleted,
}: {
  customerId: string;
  user: SelectedUser;
  onDeleted: () => void;
}) {
  const { t } = useTranslation('users');
  const remove = useDeleteUser(customerId);
  const licenses = user.licenses?.length ?? 0;
  return (
    <DialogForm
      kind="confirm"
      title={t('delete.title', { name: user.displayName })}
      mutation={remove}
      onSubmit={() => remove.mutateAsync(user.id).then(onDeleted)}
      submitLabel={t('delete.confirm')}
    >
      <Text>
        {licenses > 0
          ? t('delete.withLicenses', { name: user.userPrincipalName, count: licenses })
          : t('delete.withoutLicenses', { name: user.userPrincipalName })}
      </Text>
    </DialogForm>
  );
}
