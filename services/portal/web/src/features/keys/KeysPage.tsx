import { useMemo, useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { KEY_ROLES, type KeyRole, missingCustomers, missingScopes, SCOPES, type Scope } from '@licensing/domain/scopes';
import { storeApiKey } from '../auth/session.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../i18n/format.ts';
import { useCustomers } from '../customers/api.ts';
import { scopeLabel, useAccess } from './access.tsx';
import { type ApiKey, type IssuedApiKey, useApiKeys, useCreateKey, useCurrentKey, useRevokeKey } from './api.ts';
import { roleHint, roleLabel } from './role-label.ts';
import { heldScopes, ROLES, roleOf } from './roles.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  fieldset: { border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  legend: { padding: 0, fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
  customers: { display: 'flex', flexDirection: 'column', maxHeight: '200px', overflowY: 'auto' },
  secret: { fontFamily: tokens.fontFamilyMonospace },
  secretLine: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  grow: { flexGrow: 1, minWidth: '260px' },
  muted: { color: tokens.colorNeutralForeground3 },
  keyName: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
});

type RoleChoice = KeyRole | 'custom';

/** The partner's API keys: who holds which, create one (shown once), revoke one. */
export function KeysPage() {
  const { t } = useTranslation('keys');
  usePageTitle(t('title'));
  const manage = useAccess('keys:manage');
  const current = useCurrentKey();
  const keys = useApiKeys(manage.allowed);
  const [revoked, setRevoked] = useState<string>();

  return (
    <>
      <Title2 as="h1">{t('title')}</Title2>
      <Text>{t('intro')}</Text>
      {current.isPending && <Spinner label={t('loading')} />}
      {current.error && <ProblemMessage error={current.error} />}
      {manage.reason && (
        <MessageBar intent="info">
          <MessageBarBody>{manage.reason}</MessageBarBody>
        </MessageBar>
      )}
      {manage.allowed && (
        <>
          <div>
            <CreateKeyDialog />
          </div>
          {revoked && (
            <MessageBar intent="success" role="status">
              <MessageBarBody>{t('revoke.done', { name: revoked })}</MessageBarBody>
            </MessageBar>
          )}
          {keys.error && <ProblemMessage error={keys.error} />}
          {keys.isPending && <Spinner label={t('loading')} />}
          {keys.data && <KeyTable keys={keys.data} onRevoked={setRevoked} />}
        </>
      )}
    </>
  );
}

function KeyTable({ keys, onRevoked }: { keys: ApiKey[]; onRevoked: (name: string) => void }) {
  const styles = useStyles();
  const { t } = useTranslation('keys');
  const format = useFormat();
  const current = useCurrentKey();
  const customers = useCustomers(1, 500);
  const customerNames = new Map((customers.data?.items ?? []).map((c) => [c.id, c.name]));
  return (
    <Table aria-label={t('table')} size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{t('column.name')}</TableHeaderCell>
          <TableHeaderCell>{t('column.permissions')}</TableHeaderCell>
          <TableHeaderCell>{t('column.customers')}</TableHeaderCell>
          <TableHeaderCell>{t('column.expires')}</TableHeaderCell>
          <TableHeaderCell>{t('column.lastUsed')}</TableHeaderCell>
          <TableHeaderCell>{t('column.actions')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => {
          const role = roleOf(key.scopes);
          const scopes = heldScopes(key.scopes).map((s) => scopeLabel(s, t));
          return (
            <TableRow key={key.id}>
              <TableCell>
                <div className={styles.keyName}>
                  <Text weight="semibold">{key.name}</Text>
                  <span className={styles.muted}>{t('prefix', { prefix: key.prefix })}</span>
                  {key.id === current.data?.id && <Badge appearance="tint">{t('thisKey')}</Badge>}
                </div>
              </TableCell>
              <TableCell>{role ? roleLabel(role, t) : format.list(scopes)}</TableCell>
              <TableCell>
                {key.customerIds === null
                  ? t('allCustomers')
                  : format.list(key.customerIds.map((id) => customerNames.get(id) ?? id))}
              </TableCell>
              <TableCell>{key.expiresAt ? format.dateTime(key.expiresAt) : t('never')}</TableCell>
              <TableCell>{key.lastUsedAt ? format.dateTime(key.lastUsedAt) : t('neverUsed')}</TableCell>
              <TableCell>
                <RevokeKeyDialog apiKey={key} onRevoked={onRevoked} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** Revoking needs a confirmation; a key may revoke only keys it could have issued (the API's rule). */
function RevokeKeyDialog({ apiKey, onRevoked }: { apiKey: ApiKey; onRevoked: (name: string) => void }) {
  const { t } = useTranslation('keys');
  const current = useCurrentKey();
  const revoke = useRevokeKey();
  const own = apiKey.id === current.data?.id;
  const beyond =
    !own &&
    current.data !== undefined &&
    (missingScopes(current.data.scopes, apiKey.scopes).length > 0 ||
      missingCustomers(current.data.customerIds, apiKey.customerIds).length > 0);
  const trigger = { size: 'small', 'aria-label': t('revoke.named', { name: apiKey.name }) } as const;
  if (beyond)
    return (
      <Tooltip content={t('revoke.beyond', { name: current.data?.name ?? '' })} relationship="description">
        <Button {...trigger} disabledFocusable>
          {t('revoke.button')}
        </Button>
      </Tooltip>
    );
  return (
    <FormDialog
      trigger={{ ...trigger, children: t('revoke.button') }}
      scope="keys:manage"
      kind="confirm"
      title={t('revoke.title', { name: apiKey.name })}
      mutation={revoke}
      onSubmit={() =>
        revoke.mutateAsync(apiKey.id).then(() => {
          if (own) storeApiKey(null);
          else onRevoked(apiKey.name);
        })
      }
      submitLabel={t('revoke.confirm')}
    >
      <Text>{own ? t('revoke.ownWarning') : t('revoke.warning')}</Text>
    </FormDialog>
  );
}

/** The end of the chosen day in the browser's time zone, as the API takes it (RFC 3339). */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}

function CreateKeyDialog() {
  const styles = useStyles();
  const { t } = useTranslation('keys');
  const { t: tc } = useTranslation();
  const current = useCurrentKey();
  const create = useCreateKey();
  const customers = useCustomers(1, 500);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState<RoleChoice>('read-only');
  const [custom, setCustom] = useState<ReadonlySet<Scope>>(new Set(['read']));
  const [limited, setLimited] = useState(false);
  const [customerIds, setCustomerIds] = useState<ReadonlySet<string>>(new Set());
  const [expires, setExpires] = useState('');
  const [issued, setIssued] = useState<IssuedApiKey>();
  const [copied, setCopied] = useState(false);
  const [nameMissing, setNameMissing] = useState(false);

  const held = current.data?.scopes ?? [];
  const callerLimited = current.data?.customerIds ?? null;
  const lacks = (scopes: readonly string[]) => missingScopes(held, scopes).length > 0;
  const scopes: Scope[] = role === 'custom' ? SCOPES.filter((s) => custom.has(s)) : [...KEY_ROLES[role]];
  const reachable = useMemo(
    () => (customers.data?.items ?? []).filter((c) => callerLimited === null || callerLimited.includes(c.id)),
    [customers.data, callerLimited],
  );
  const onlySome = limited || callerLimited !== null;
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  function reset() {
    setName('');
    setRole(lacks(KEY_ROLES['read-only']) ? 'custom' : 'read-only');
    setCustom(new Set(['read']));
    setLimited(false);
    setCustomerIds(new Set());
    setExpires('');
    setIssued(undefined);
    setCopied(false);
    setNameMissing(false);
    create.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setNameMissing(true);
      return;
    }
    create.mutate(
      {
        name: name.trim(),
        scopes,
        ...(onlySome ? { customerIds: [...customerIds] } : {}),
        ...(expires ? { expiresAt: endOfDay(expires) } : {}),
      },
      { onSuccess: setIssued },
    );
  }

  async function copy() {
    if (!issued) return;
    await navigator.clipboard.writeText(issued.apiKey);
    setCopied(true);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(_, data) => {
        setOpen(data.open);
        // The secret is dropped when the dialog closes: it is shown once.
        reset();
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary">{t('create.button')}</Button>
      </DialogTrigger>
      <DialogSurface>
        {issued ? (
          <DialogBody>
            <DialogTitle>{t('created.title', { name: issued.name })}</DialogTitle>
            <DialogContent className={styles.form}>
              <MessageBar intent="warning">
                <MessageBarBody>{t('created.onlyOnce')}</MessageBarBody>
              </MessageBar>
              <div className={styles.secretLine}>
                <Field label={t('created.secret')} className={styles.grow}>
                  <Input readOnly value={issued.apiKey} className={styles.secret} />
                </Field>
                <Button onClick={copy}>{copied ? t('created.copied') : t('created.copy')}</Button>
              </div>
              <Text role="status">{copied ? t('created.copiedHint') : ''}</Text>
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="primary">{t('created.done')}</Button>
              </DialogTrigger>
            </DialogActions>
          </DialogBody>
        ) : (
          <form onSubmit={submit} noValidate>
            <DialogBody>
              <DialogTitle>{t('create.title')}</DialogTitle>
              <DialogContent className={styles.form}>
                <Field
                  label={t('create.name')}
                  hint={t('create.nameHint')}
                  required
                  validationMessage={nameMissing ? t('create.nameMissing') : undefined}
                >
                  <Input value={name} maxLength={100} onChange={(_, data) => setName(data.value)} />
                </Field>
                <Field label={t('create.role')}>
                  <RadioGroup value={role} onChange={(_, data) => setRole(data.value as RoleChoice)}>
                    {ROLES.map((r) => (
                      <Radio
                        key={r}
                        value={r}
                        disabled={lacks(KEY_ROLES[r])}
                        label={t('create.option', {
                          name: roleLabel(r, t),
                          hint: lacks(KEY_ROLES[r]) ? t('create.roleBeyond') : roleHint(r, t),
                        })}
                      />
                    ))}
                    <Radio
                      value="custom"
                      label={t('create.option', { name: t('role.custom'), hint: t('roleHint.custom') })}
                    />
                  </RadioGroup>
                </Field>
                {role === 'custom' && (
                  <fieldset className={styles.fieldset}>
                    <legend className={styles.legend}>{t('create.permissions')}</legend>
                    {SCOPES.map((scope) => (
                      <Checkbox
                        key={scope}
                        label={
                          lacks([scope])
                            ? t('create.option', { name: scopeLabel(scope, t), hint: t('create.scopeBeyond') })
                            : scopeLabel(scope, t)
                        }
                        disabled={lacks([scope])}
                        checked={custom.has(scope)}
                        onChange={(_, data) =>
                          setCustom((now) => {
                            const next = new Set(now);
                            if (data.checked === true) next.add(scope);
                            else next.delete(scope);
                            return next;
                          })
                        }
                      />
                    ))}
                  </fieldset>
                )}
                <Field label={t('create.customers')}>
                  <RadioGroup
                    value={onlySome ? 'some' : 'all'}
                    onChange={(_, data) => setLimited(data.value === 'some')}
                  >
                    <Radio
                      value="all"
                      disabled={callerLimited !== null}
                      label={
                        callerLimited !== null
                          ? t('create.option', { name: t('allCustomers'), hint: t('create.allBeyond') })
                          : t('allCustomers')
                      }
                    />
                    <Radio value="some" label={t('create.onlyThese')} />
                  </RadioGroup>
                </Field>
                {onlySome && (
                  <fieldset className={styles.fieldset}>
                    <legend className={styles.legend}>{t('create.chooseCustomers')}</legend>
                    <div className={styles.customers}>
                      {reachable.map((customer) => (
                        <Checkbox
                          key={customer.id}
                          label={customer.name}
                          checked={customerIds.has(customer.id)}
                          onChange={(_, data) =>
                            setCustomerIds((now) => {
                              const next = new Set(now);
                              if (data.checked === true) next.add(customer.id);
                              else next.delete(customer.id);
                              return next;
                            })
                          }
                        />
                      ))}
                    </div>
                  </fieldset>
                )}
                <Field label={t('create.expires')} hint={t('create.expiresHint')}>
                  <Input type="date" min={tomorrow} value={expires} onChange={(_, data) => setExpires(data.value)} />
                </Field>
                {create.error && <ProblemMessage error={create.error} title={t('create.failed')} />}
              </DialogContent>
              <DialogActions>
                <DialogTrigger disableButtonEnhancement>
                  <Button>{tc('cancel')}</Button>
                </DialogTrigger>
                <Button
                  appearance="primary"
                  type="submit"
                  disabled={create.isPending || scopes.length === 0 || (onlySome && customerIds.size === 0)}
                >
                  {create.isPending ? t('create.creating') : t('create.submit')}
                </Button>
              </DialogActions>
            </DialogBody>
          </form>
        )}
      </DialogSurface>
    </Dialog>
  );
}
