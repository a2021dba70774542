import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Text,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import type { SelectedUser } from './selection.tsx';
import { useDeleteUser } from './api.ts';
import { NeedsScope, useAccess } from '../keys/access.tsx';

/**
 * Delete a user after a confirmation that says what goes with it: the user and its licenses (their
 * seats become available again). Cannot be undone.
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
  const { t: tc } = useTranslation();
  const [open, setOpen] = useState(false);
  const remove = useDeleteUser(customerId);
  const licenses = user.licenses?.length ?? 0;
  const access = useAccess('users:write');
  if (!access.allowed)
    return (
      <NeedsScope scope="users:write">
        {() => (
          <Button
            size={appearance === 'subtle' ? 'small' : 'medium'}
            appearance={appearance}
            disabledFocusable
            aria-label={t('delete.named', { name: user.displayName })}
          >
            {t('delete.button')}
          </Button>
        )}
      </NeedsScope>
    );
  return (
    <Dialog
      open={open}
      modalType="alert"
      onOpenChange={(_, data) => {
        setOpen(data.open);
        if (data.open) remove.reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button
          size={appearance === 'subtle' ? 'small' : 'medium'}
          appearance={appearance}
          aria-label={t('delete.named', { name: user.displayName })}
        >
          {t('delete.button')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('delete.title', { name: user.displayName })}</DialogTitle>
          <DialogContent>
            <Text>
              {licenses > 0
                ? t('delete.withLicenses', { name: user.userPrincipalName, count: licenses })
                : t('delete.withoutLicenses', { name: user.userPrincipalName })}
            </Text>
            {remove.error && <ProblemMessage error={remove.error} />}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>{tc('cancel')}</Button>
            </DialogTrigger>
            <Button
              appearance="primary"
              disabled={remove.isPending}
              // The promise, not mutate's callbacks: the user's row (and this dialog with it) may be gone
              // from the refreshed list by the time the deletion is answered.
              onClick={() =>
                remove.mutateAsync(user.id).then(
                  () => {
                    setOpen(false);
                    onDeleted();
                  },
                  () => undefined, // shown from remove.error
                )
              }
            >
              {t('delete.confirm')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
