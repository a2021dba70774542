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
import type { Customer } from '../../api/types.ts';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useCreateCustomer } from './api.ts';
import { NeedsScope, useAccess } from '../keys/access.tsx';

const useStyles = makeStyles({
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Create a customer (POST): its name and country, the usage location of users that have none. */
export function AddCustomerDialog({ onAdded }: { onAdded: (customer: Customer) => void }) {
  const { t } = useTranslation('customers');
  const { t: tc } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const create = useCreateCustomer();
  const code = country.trim().toUpperCase();
  const countryName = /^[A-Z]{2}$/.test(code) ? format.region(code) : '';

  const access = useAccess('users:write');
  if (!access.allowed)
    return <NeedsScope scope="users:write">{() => <Button disabledFocusable>{t('add.button')}</Button>}</NeedsScope>;
  return (
    <Dialog
      open={open}
      onOpenChange={(_, data) => {
        setOpen(data.open);
        if (data.open) {
          setName('');
          setCountry('');
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
              { name: name.trim(), country: code },
              {
                onSuccess: (customer) => {
                  setOpen(false);
                  onAdded(customer);
                },
              },
            );
          }}
        >
          <DialogBody>
            <DialogTitle>{t('add.title')}</DialogTitle>
            <DialogContent className={styles.fields}>
              <Field label={t('name')} required>
                <Input value={name} maxLength={200} onChange={(_, data) => setName(data.value)} />
              </Field>
              <Field label={t('country')} hint={countryName || t('add.countryHint')} required>
                <Input value={country} maxLength={2} onChange={(_, data) => setCountry(data.value)} />
              </Field>
              {create.error && <ProblemMessage error={create.error} />}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>{tc('cancel')}</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={create.isPending || !name.trim() || !countryName}>
                {t('add.submit')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
