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
  Field,
  Input,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types.ts';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useCreateUser } from './api.ts';
import { NeedsScope, useAccess } from '../keys/access.tsx';

const useStyles = makeStyles({
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Add one user (POST): user principal name and display name, usage location and department if known. */
export function AddUserDialog({ customerId, onAdded }: { customerId: string; onAdded: (user: User) => void }) {
  const { t } = useTranslation('users');
  const { t: tc } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const [userPrincipalName, setUserPrincipalName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [usageLocation, setUsageLocation] = useState('');
  const [department, setDepartment] = useState('');
  const create = useCreateUser(customerId);
  const location = usageLocation.trim().toUpperCase();
  const locationName = /^[A-Z]{2}$/.test(location) ? format.region(location) : '';

  const access = useAccess('users:write');
  if (!access.allowed)
    return <NeedsScope scope="users:write">{() => <Button disabledFocusable>{t('add.button')}</Button>}</NeedsScope>;
  return (
    <Dialog
      open={open}
      onOpenChange={(_, data) => {
        setOpen(data.open);
        if (data.open) {
          setUserPrincipalName('');
          setDisplayName('');
          setUsageLocation('');
          setDepartment('');
          create.reset();
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button>{t('add.button')}</Button>
      </DialogTrigger>
      <DialogSurface>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate(
              {
                userPrincipalName: userPrincipalName.trim(),
                displayName: displayName.trim(),
                ...(location ? { usageLocation: location } : {}),
                ...(department.trim() ? { department: department.trim() } : {}),
              },
              {
                onSuccess: (user) => {
                  setOpen(false);
                  onAdded(user);
                },
              },
            );
          }}
        >
          <DialogBody>
            <DialogTitle>{t('add.title')}</DialogTitle>
            <DialogContent className={styles.fields}>
              <Field label={t('userPrincipalName')} hint={t('add.userPrincipalNameHint')} required>
                <Input
                  type="email"
                  value={userPrincipalName}
                  maxLength={256}
                  onChange={(_, data) => setUserPrincipalName(data.value)}
                />
              </Field>
              <Field label={t('edit.displayName')} required>
                <Input value={displayName} maxLength={256} onChange={(_, data) => setDisplayName(data.value)} />
              </Field>
              <Field
                label={t('usageLocation')}
                hint={locationName ? t('edit.usageLocationIs', { name: locationName }) : t('edit.usageLocationHint')}
              >
                <Input value={usageLocation} maxLength={2} onChange={(_, data) => setUsageLocation(data.value)} />
              </Field>
              <Field label={t('department')} hint={t('edit.departmentHint')}>
                <Input value={department} maxLength={64} onChange={(_, data) => setDepartment(data.value)} />
              </Field>
              {create.error && <ProblemMessage error={create.error} />}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>{tc('cancel')}</Button>
              </DialogTrigger>
              <Button
                appearance="primary"
                type="submit"
                disabled={create.isPending || !userPrincipalName.trim() || !displayName.trim()}
              >
                {t('add.submit')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
