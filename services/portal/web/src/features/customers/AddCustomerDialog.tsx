import { useState } from 'react';
import { Field, Input } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../api/types.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useCreateCustomer } from './api.ts';

/** Create a customer (POST): its name and country, the usage location of users that have none. */
export function AddCustomerDialog({ onAdded }: { onAdded: (customer: Customer) => void }) {
  const { t } = useTranslation('customers');
  const format = useFormat();
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const create = useCreateCustomer();
  const code = country.trim().toUpperCase();
  const countryName = /^[A-Z]{2}$/.test(code) ? format.region(code) : '';

  return (
    <FormDialog
      trigger={{ children: t('add.button') }}
      scope="users:write"
      title={t('add.title')}
      mutation={create}
      onOpen={() => {
        setName('');
        setCountry('');
      }}
      onSubmit={() => create.mutateAsync({ name: name.trim(), country: code }).then(onAdded)}
      submitLabel={t('add.submit')}
      canSubmit={Boolean(name.trim() && countryName)}
    >
      <Field label={t('name')} required>
        <Input value={name} maxLength={200} onChange={(_, data) => setName(data.value)} />
      </Field>
      <Field label={t('country')} hint={countryName || t('add.countryHint')} required>
        <Input value={country} maxLength={2} onChange={(_, data) => setCountry(data.value)} />
      </Field>
    </FormDialog>
  );
}
