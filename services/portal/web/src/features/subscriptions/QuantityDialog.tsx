import { useState } from 'react';
import { Field, MessageBar, MessageBarBody, Select, SpinButton, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../../api/http.ts';
import type { Product, Subscription } from '../../api/types.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useSetQuantity } from '../licenses/api.ts';

/** The most seats one subscription is given here at once. */
const MAX_QUANTITY = 1_000_000;

/** 409 quantity_below_usage: why the quantity cannot go that low, and what to do first. */
function BelowUsage({ error }: { error: ApiProblem }) {
  const { t } = useTranslation('customers');
  const { t: tc } = useTranslation();
  const { assigned, reserved, minimumQuantity } = error.problem as unknown as {
    assigned: number;
    reserved: number;
    minimumQuantity: number;
  };
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        {t('subscriptions.belowUsage', { assigned, reserved, minimum: minimumQuantity })}
        {tc('problem.code', { code: error.code })}
      </MessageBarBody>
    </MessageBar>
  );
}

function QuantityField({ value, onChange }: { value: number; onChange: (value: number) => void }) {
  const { t } = useTranslation('customers');
  const { t: tc } = useTranslation();
  return (
    <Field label={t('subscriptions.quantity')}>
      <SpinButton
        incrementButton={{ 'aria-label': tc('spinButton.increment') }}
        decrementButton={{ 'aria-label': tc('spinButton.decrement') }}
        min={0}
        max={MAX_QUANTITY}
        value={value}
        onChange={(_, data) => {
          const next = data.value ?? Number(data.displayValue);
          if (Number.isInteger(next) && next >= 0 && next <= MAX_QUANTITY) onChange(next);
        }}
      />
    </Field>
  );
}

/** Change a subscription's quantity, up or down (never below what is assigned and reserved). */
export function ChangeQuantityDialog({
  customerId,
  subscription,
  onChanged,
}: {
  customerId: string;
  subscription: Subscription;
  onChanged: (quantity: number) => void;
}) {
  const { t } = useTranslation('customers');
  const [quantity, setQuantity] = useState(subscription.quantity);
  const save = useSetQuantity(customerId);
  return (
    <FormDialog
      trigger={{
        size: 'small',
        'aria-label': t('subscriptions.change.named', { product: subscription.productName }),
        children: t('subscriptions.change.button'),
      }}
      scope="subscriptions:write"
      title={t('subscriptions.change.title', { product: subscription.productName })}
      mutation={save}
      onOpen={() => setQuantity(subscription.quantity)}
      onSubmit={() => save.mutateAsync({ productId: subscription.productId, quantity }).then(() => onChanged(quantity))}
      submitLabel={t('subscriptions.change.save')}
      canSubmit={quantity !== subscription.quantity}
      renderError={(error) =>
        error instanceof ApiProblem && error.code === 'quantity_below_usage' ? (
          <BelowUsage error={error} />
        ) : (
          <ProblemMessage error={error} />
        )
      }
    >
      <Text>
        {t('subscriptions.change.now', {
          quantity: subscription.quantity,
          assigned: subscription.assigned,
          reserved: subscription.reserved,
        })}
      </Text>
      <QuantityField value={quantity} onChange={setQuantity} />
    </FormDialog>
  );
}

/** Subscribe the customer to a product it has no subscription to yet. */
export function AddSubscriptionDialog({
  customerId,
  products,
  onAdded,
}: {
  customerId: string;
  /** The catalog's products the customer has no subscription to. */
  products: Product[];
  onAdded: (product: Product, quantity: number) => void;
}) {
  const { t } = useTranslation('customers');
  const [productId, setProductId] = useState('');
  const [quantity, setQuantity] = useState(1);
  const save = useSetQuantity(customerId);
  const product = products.find((p) => p.id === productId);
  return (
    <FormDialog
      trigger={{ disabled: products.length === 0, children: t('subscriptions.add.button') }}
      scope="subscriptions:write"
      title={t('subscriptions.add.title')}
      mutation={save}
      onOpen={() => {
        setProductId('');
        setQuantity(1);
      }}
      onSubmit={async () => {
        if (!product) return;
        await save.mutateAsync({ productId: product.id, quantity });
        onAdded(product, quantity);
      }}
      submitLabel={t('subscriptions.add.submit')}
      canSubmit={product !== undefined && quantity >= 1}
    >
      <Field label={t('subscriptions.product')} required>
        <Select value={productId} onChange={(_, data) => setProductId(data.value)}>
          <option value="">{t('subscriptions.add.choose')}</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      </Field>
      <QuantityField value={quantity} onChange={setQuantity} />
    </FormDialog>
  );
}
