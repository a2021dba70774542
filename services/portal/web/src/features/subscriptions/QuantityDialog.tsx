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
  MessageBar,
  MessageBarBody,
  Select,
  SpinButton,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../../api/http.ts';
import type { Product, Subscription } from '../../api/types.ts';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { NeedsScope, useAccess } from '../keys/access.tsx';
import { useSetQuantity } from '../licenses/api.ts';

const useStyles = makeStyles({
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

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
  const { t: tc } = useTranslation();
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [quantity, setQuantity] = useState(subscription.quantity);
  const save = useSetQuantity(customerId);
  const error = save.error;
  const access = useAccess('subscriptions:write');
  if (!access.allowed)
    return (
      <NeedsScope scope="subscriptions:write">
        {() => (
          <Button
            size="small"
            disabledFocusable
            aria-label={t('subscriptions.change.named', { product: subscription.productName })}
          >
            {t('subscriptions.change.button')}
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
          setQuantity(subscription.quantity);
          save.reset();
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button size="small" aria-label={t('subscriptions.change.named', { product: subscription.productName })}>
          {t('subscriptions.change.button')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(
              { productId: subscription.productId, quantity },
              {
                onSuccess: () => {
                  setOpen(false);
                  onChanged(quantity);
                },
              },
            );
          }}
        >
          <DialogBody>
            <DialogTitle>{t('subscriptions.change.title', { product: subscription.productName })}</DialogTitle>
            <DialogContent className={styles.fields}>
              <Text>
                {t('subscriptions.change.now', {
                  quantity: subscription.quantity,
                  assigned: subscription.assigned,
                  reserved: subscription.reserved,
                })}
              </Text>
              <QuantityField value={quantity} onChange={setQuantity} />
              {error instanceof ApiProblem && error.code === 'quantity_below_usage' ? (
                <BelowUsage error={error} />
              ) : (
                error && <ProblemMessage error={error} />
              )}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>{tc('cancel')}</Button>
              </DialogTrigger>
              <Button
                appearance="primary"
                type="submit"
                disabled={save.isPending || quantity === subscription.quantity}
              >
                {t('subscriptions.change.save')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
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
  const { t: tc } = useTranslation();
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [productId, setProductId] = useState('');
  const [quantity, setQuantity] = useState(1);
  const save = useSetQuantity(customerId);
  const product = products.find((p) => p.id === productId);
  const access = useAccess('subscriptions:write');
  if (!access.allowed)
    return (
      <NeedsScope scope="subscriptions:write">
        {() => <Button disabledFocusable>{t('subscriptions.add.button')}</Button>}
      </NeedsScope>
    );
  return (
    <Dialog
      open={open}
      onOpenChange={(_, data) => {
        setOpen(data.open);
        if (data.open) {
          setProductId('');
          setQuantity(1);
          save.reset();
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button disabled={products.length === 0}>{t('subscriptions.add.button')}</Button>
      </DialogTrigger>
      <DialogSurface>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!product) return;
            save.mutate(
              { productId: product.id, quantity },
              {
                onSuccess: () => {
                  setOpen(false);
                  onAdded(product, quantity);
                },
              },
            );
          }}
        >
          <DialogBody>
            <DialogTitle>{t('subscriptions.add.title')}</DialogTitle>
            <DialogContent className={styles.fields}>
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
              {save.error && <ProblemMessage error={save.error} />}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>{tc('cancel')}</Button>
              </DialogTrigger>
              <Button appearance="primary" type="submit" disabled={save.isPending || !product || quantity < 1}>
                {t('subscriptions.add.submit')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
