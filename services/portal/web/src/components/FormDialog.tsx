import { createContext, useContext, useState, type ReactNode } from 'react';
import {
  Button,
  type ButtonProps,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  type DialogOpenChangeData,
  makeStyles,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Scope } from '@licensing/domain/scopes';
import { NeedsScope, useAccess } from '../features/keys/access.tsx';
import { ProblemMessage } from './ProblemMessage.tsx';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** What the dialog sends with: a TanStack Query mutation fits. */
export interface DialogMutation {
  isPending: boolean;
  error: unknown;
  reset: () => void;
}

/** Closes the dialog a DialogForm is in (given by DialogButton). */
const CloseContext = createContext<() => void>(() => undefined);

/**
 * A button that opens a dialog, and the dialog, which is made only when the button is first
 * pressed: a page of 200 rows with an Edit and a Delete each renders 400 buttons, not 400 dialogs
 * with their forms and mutations. `children` (usually a component holding the form's state and its
 * mutation, around a DialogForm) is mounted afresh at every opening, so each opening starts from
 * the fields' starting values and without the last attempt's error. A key without `scope` gets the
 * button disabled (still focusable) with the reason in a tooltip, and no dialog.
 *
 * The button stays the same element while the dialog is open, so focus returns to it on closing.
 * `onOpen` runs as the button is pressed, before the dialog shows.
 */
export function DialogButton({
  trigger,
  scope,
  modalType = 'modal',
  onOpen,
  children,
}: {
  /** The button that opens the dialog (its text, aria-label, size, appearance, disabled). */
  trigger: ButtonProps;
  scope: Scope;
  modalType?: 'modal' | 'alert';
  onOpen?: () => void;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  // How many times it was opened: 0 until the first, when the dialog is first made.
  const [openings, setOpenings] = useState(0);
  // The dialog gives focus back to this button when it closes (no DialogTrigger marks it).
  const restoreFocusTarget = useRestoreFocusTarget();
  const access = useAccess(scope);
  if (!access.allowed) return <NeedsScope scope={scope}>{() => <Button {...trigger} disabledFocusable />}</NeedsScope>;
  const show = () => {
    onOpen?.();
    setOpenings((n) => n + 1);
    setOpen(true);
  };
  const close = () => setOpen(false);
  return (
    <>
      <Button {...trigger} {...restoreFocusTarget} aria-haspopup="dialog" onClick={show} />
      {openings > 0 && (
        <Dialog open={open} modalType={modalType} onOpenChange={(_, data: DialogOpenChangeData) => setOpen(data.open)}>
          {/* The surface is the Dialog's only child, as Fluent UI's Dialog expects (it animates it). */}
          <DialogSurface key={openings}>
            <CloseContext.Provider value={close}>{children}</CloseContext.Provider>
          </DialogSurface>
        </Dialog>
      )}
    </>
  );
}

/** What a dialog that asks for something and sends it is given (DialogForm, FormDialog). */
interface DialogFormProps {
  title: string;
  kind?: 'form' | 'confirm';
  onSubmit: () => Promise<unknown>;
  submitLabel: string;
  /** False while the fields are incomplete; the primary action is also disabled while sending. */
  canSubmit?: boolean;
  mutation: DialogMutation;
  /** How the last attempt's error is shown (nothing: `null`). */
  renderError?: (error: unknown) => ReactNode;
  children: ReactNode;
}

/**
 * The inside of a dialog's surface which asks for something and sends it: the title, the content,
 * the error of the last attempt, Cancel and one primary action; `close` closes the dialog once
 * `onSubmit`'s promise resolves. As a form (`kind="form"`), Enter in a field submits.
 */
function DialogFormContent({
  title,
  kind = 'form',
  onSubmit,
  submitLabel,
  canSubmit = true,
  mutation,
  renderError = (error) => <ProblemMessage error={error} />,
  children,
  close,
}: DialogFormProps & { close: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const submit = () => {
    if (!canSubmit || mutation.isPending) return;
    onSubmit().then(
      () => close(),
      () => undefined, // shown from mutation.error
    );
  };
  const body = (
    <DialogBody>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent className={styles.content}>
        {children}
        {mutation.error ? renderError(mutation.error) : null}
      </DialogContent>
      <DialogActions>
        <DialogTrigger disableButtonEnhancement>
          <Button>{t('cancel')}</Button>
        </DialogTrigger>
        <Button
          appearance="primary"
          type={kind === 'form' ? 'submit' : 'button'}
          disabled={mutation.isPending || !canSubmit}
          onClick={kind === 'form' ? undefined : submit}
        >
          {submitLabel}
        </Button>
      </DialogActions>
    </DialogBody>
  );
  return kind === 'form' ? (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {body}
    </form>
  ) : (
    body
  );
}

/**
 * A dialog's content which asks for something and sends it, inside a DialogButton: the title, the
 * content, the error of the last attempt, Cancel and one primary action.
 *
 * - `kind="form"` (the default): the content is a form, Enter in a field submits it.
 * - `kind="confirm"`: the primary button confirms; Enter in a field does not, so that nothing is
 *   bought or deleted by accident (give the DialogButton `modalType="alert"` for what cannot be
 *   undone: a click outside does not close it).
 *
 * `onSubmit` sends: the dialog closes when its promise resolves and stays open, showing
 * `mutation.error`, when it rejects. A promise, not the mutation's own callbacks: the page may
 * unmount this dialog (its row gone from a refreshed list) before those would run.
 */
export function DialogForm(props: DialogFormProps) {
  const close = useContext(CloseContext);
  return <DialogFormContent {...props} close={close} />;
}

/**
 * A button that opens a dialog which asks for something and sends it, the form's state held by the
 * caller (for a dialog a page has once; a row's dialog is a DialogButton around a component of its
 * own with a DialogForm, made only when opened). The title, the content, the
 * error of the last attempt, Cancel and one primary action. A key without `scope` gets the button
 * disabled (still focusable) with the reason in a tooltip, and no dialog.
 *
 * - `kind="form"` (the default): the content is a form, Enter in a field submits it.
 * - `kind="confirm"`: the primary button confirms; Enter in a field does not, so that nothing is
 *   bought or deleted by accident. `modalType="alert"` (for what cannot be undone) is not closed by a
 *   click outside it.
 *
 * Opening the dialog clears the mutation's last error and calls `onOpen` (put the fields back to
 * their starting values). `onSubmit` sends: the dialog closes when its promise resolves and stays
 * open, showing `mutation.error`, when it rejects. A promise, not the mutation's own callbacks: the
 * page may unmount this dialog (its row gone from a refreshed list) before those would run.
 */
export function FormDialog({
  trigger,
  scope,
  modalType = 'modal',
  onOpen,
  ...form
}: DialogFormProps & {
  /** The button that opens the dialog (its text, aria-label, size, appearance, disabled). */
  trigger: ButtonProps;
  scope: Scope;
  modalType?: 'modal' | 'alert';
  onOpen?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const access = useAccess(scope);
  if (!access.allowed) return <NeedsScope scope={scope}>{() => <Button {...trigger} disabledFocusable />}</NeedsScope>;
  return (
    <Dialog
      open={open}
      modalType={modalType}
      onOpenChange={(_, data) => {
        setOpen(data.open);
        if (data.open) {
          form.mutation.reset();
          onOpen?.();
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button {...trigger} />
      </DialogTrigger>
      <DialogSurface>
        <DialogFormContent {...form} close={() => setOpen(false)} />
      </DialogSurface>
    </Dialog>
  );
}
