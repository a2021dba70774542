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
  SpinButton,
  Text,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { NeedsScope, useAccess } from '../keys/access.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
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
  product: OverviewProduct;
  suggested: number;
  onBought: (added: number) => void;
}) {
  const { t } = useTranslation('licenses');
  const { t: tc } = useTranslation();
  const [open, setOpen] = useState(false);
  const [seats, setSeats] = useState(Math.max(1, suggested));
  const setQuantity = useSetQuantity(customerId);
  const buying = useAccess('subscriptions:write');
  if (!buying.allowed)
    return (
      <NeedsScope scope="subscriptions:write">
        {() => (
          <Button size="small" disabledFocusable aria-label={t('buyMore.named', { product: product.name })}>
            {t('buyMore.button')}
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
          setSeats(Math.max(1, suggested));
          setQuantity.reset();
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button size="small" aria-label={t('buyMore.named', { product: product.name })}>
          {t('buyMore.button')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('buyMore.named', { product: product.name })}</DialogTitle>
          <DialogContent>
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
            {setQuantity.error && <ProblemMessage error={setQuantity.error} />}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>{tc('cancel')}</Button>
            </DialogTrigger>
            <Button
              appearance="primary"
              disabled={setQuantity.isPending}
              onClick={() =>
                // Not mutate's own onSuccess: the refetched overview may no longer offer "Buy more" (seats
                // are free now), which unmounts this dialog before that callback would run, and the
                // page would never say what was bought. The promise settles either way.
                setQuantity.mutateAsync({ productId: product.productId, quantity: product.quantity + seats }).then(
                  () => {
                    setOpen(false);
                    onBought(seats);
                  },
                  () => undefined, // shown in the dialog (setQuantity.error)
                )
              }
            >
              {t('buyMore.confirm', { count: seats })}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
