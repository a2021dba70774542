import { useState } from 'react';
import { Field, SpinButton, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../components/FormDialog.tsx';
import type { OverviewProduct } from '../../api/types.ts';
import { useSetQuantity } from './api.ts';

/** "Buy more": asks how many seats, confirms the new total, then raises the subscription's quantity. */
export function BuyMoreDialog({
  customerId,
  product,
  suggested,
  onBought,
}: {
  customerId: string;
  /** The subscription: its product's id and name, quantity and seats free. */
  product: Pick<OverviewProduct, 'productId' | 'name' | 'quantity' | 'available'>;
  suggested: number;
  onBought: (added: number) => void;
}) {
  const { t } = useTranslation('licenses');
  const { t: tc } = useTranslation();
  const [seats, setSeats] = useState(Math.max(1, suggested));
  const setQuantity = useSetQuantity(customerId);
  return (
    <FormDialog
      trigger={{
        size: 'small',
        'aria-label': t('buyMore.named', { product: product.name }),
        children: t('buyMore.button'),
      }}
      scope="subscriptions:write"
      kind="confirm"
      title={t('buyMore.named', { product: product.name })}
      mutation={setQuantity}
      onOpen={() => setSeats(Math.max(1, suggested))}
      // The refetched overview may no longer offer "Buy more" (seats are free now), which unmounts
      // this dialog; the page is told what was bought all the same.
      onSubmit={() =>
        setQuantity
          .mutateAsync({ productId: product.productId, quantity: product.quantity + seats })
          .then(() => onBought(seats))
      }
      submitLabel={t('buyMore.confirm', { count: seats })}
    >
      <Text block>{t('buyMore.current', { count: product.quantity, available: product.available })}</Text>
      <Field label={t('buyMore.seatsToAdd')}>
        <SpinButton
          incrementButton={{ 'aria-label': tc('spinButton.increment') }}
          decrementButton={{ 'aria-label': tc('spinButton.decrement') }}
          min={1}
          max={100_000}
          value={seats}
          onChange={(_, data) => {
            const value = data.value ?? Number(data.displayValue);
            if (Number.isInteger(value) && value >= 1) setSeats(value);
          }}
        />
      </Field>
      <Text block>{t('buyMore.newTotal', { count: product.quantity + seats })}</Text>
    </FormDialog>
  );
}
