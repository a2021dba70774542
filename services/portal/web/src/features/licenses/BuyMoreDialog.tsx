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
  const [open, setOpen] = useState(false);
  const [seats, setSeats] = useState(Math.max(1, suggested));
  const setQuantity = useSetQuantity(customerId);
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
        <Button size="small" aria-label={`Buy more ${product.name}`}>
          Buy more
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Buy more {product.name}</DialogTitle>
          <DialogContent>
            <Text block>
              You have {product.quantity} {product.quantity === 1 ? 'seat' : 'seats'}, {product.available} available.
            </Text>
            <Field label="Seats to add">
              <SpinButton
                min={1}
                max={100_000}
                value={seats}
                onChange={(_, data) => {
                  const value = data.value ?? Number(data.displayValue);
                  if (Number.isInteger(value) && value >= 1) setSeats(value);
                }}
              />
            </Field>
            <Text block>
              The subscription will have {product.quantity + seats} seats in all. Your billing changes accordingly.
            </Text>
            {setQuantity.error && <ProblemMessage error={setQuantity.error} />}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button>Cancel</Button>
            </DialogTrigger>
            <Button
              appearance="primary"
              disabled={setQuantity.isPending}
              onClick={() =>
                setQuantity.mutate(
                  { productId: product.productId, quantity: product.quantity + seats },
                  {
                    onSuccess: () => {
                      setOpen(false);
                      onBought(seats);
                    },
                  },
                )
              }
            >
              Buy {seats} {seats === 1 ? 'seat' : 'seats'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
