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
import { NeedsScope, useAccess } from '../keys/access.tsx';
import type { User } from '../../api/types.ts';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useUpdateUser } from './api.ts';

const useStyles = makeStyles({
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/**
 * Edit a user's display name, usage location and department (PATCH). An empty usage location or
 * department clears it: the customer's country applies again. The region error of a job tells the
 * partner to change the usage location; this is where they do.
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
  const { t: tc } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const [displayName, setDisplayName] = useState(user.displayName);
  const [usageLocation, setUsageLocation] = useState(user.usageLocation ?? '');
  const [department, setDepartment] = useState(user.department ?? '');
  const update = useUpdateUser(customerId, user.id);
  const location = usageLocation.trim().toUpperCase();
  const locationName = /^[A-Z]{2}$/.test(location) ? format.region(location) : '';

  const editing = useAccess('users:write');
  if (!editing.allowed)
    return (
      <NeedsScope scope="users:write">
        {() => (
          <Button
            size="small"
            appearance="subtle"
            disabledFocusable
            aria-label={t('edit.named', { name: user.displayName })}
          >
            {t('edit.button')}
          </Button>
        )}
      </NeedsScope>
    );
  return (
    <Dialog
      open={open}
      onOpenChange={(_, data) => {
        setOpen(data.open);
        if (data.open) {
          setDisplayName(user.displayName);
          setUsageLocation(user.usageLocation ?? '');
          setDepartment(user.department ?? '');
          update.reset();
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button
          size={appearance === 'subtle' ? 'small' : 'medium'}
          appearance={appearance}
          aria-label={t('edit.named', { name: user.displayName })}
        >
          {t('edit.button')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate(
              {
                displayName: displayName.trim(),
                usageLocation: location || null,
                department: department.trim() || null,
              },
              { onSuccess: () => setOpen(false) },
            );
          }}
        >
          <DialogBody>
            <DialogTitle>{t('edit.title', { name: user.displayName })}</DialogTitle>
            <DialogContent className={styles.fields}>
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
              {update.error && <ProblemMessage error={update.error} />}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>{tc('cancel')}</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={update.isPending || !displayName.trim()}>
                {t('edit.save')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
