import { useState, type FormEvent } from 'react';
import {
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ApiProblem, api, data } from '../../api/http.ts';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { problemText } from '../../components/ProblemMessage.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { storeApiKey } from './session.ts';

const useStyles = makeStyles({
  page: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalL,
    paddingTop: '10vh',
  },
  card: { width: '420px', maxWidth: '90vw', padding: tokens.spacingHorizontalXXL },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

export function SignInPage() {
  const styles = useStyles();
  const { t } = useTranslation('auth');
  const { t: tCommon } = useTranslation();
  usePageTitle(t('signIn'));
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    const apiKey = key.trim();
    if (!apiKey) {
      setError(t('missingKey'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      // Any partner call proves the key; the first page of customers is what comes next anyway.
      await data(api(apiKey).GET('/v1/customers', { params: { query: { page: 1, pageSize: 1 } } }), { signIn: true });
      storeApiKey(apiKey);
    } catch (err) {
      setError(err instanceof ApiProblem && err.status === 401 ? t('keyNotAccepted') : problemText(err, tCommon));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className={styles.page}>
      <Card className={styles.card}>
        <form className={styles.form} onSubmit={signIn} aria-labelledby="sign-in-title">
          <Title2 as="h1" id="sign-in-title">
            {tCommon('appName')}
          </Title2>
          <Text>{t('intro')}</Text>
          {error && (
            <MessageBar intent="error" role="alert">
              <MessageBarBody>{error}</MessageBarBody>
            </MessageBar>
          )}
          <Field label={t('apiKey')} required hint={t('apiKeyHint')}>
            <Input
              type="password"
              value={key}
              onChange={(_, data) => setKey(data.value)}
              autoComplete="off"
              autoFocus
            />
          </Field>
          <Button appearance="primary" type="submit" disabled={busy}>
            {busy ? t('signingIn') : t('signIn')}
          </Button>
        </form>
      </Card>
      <LanguageSwitch />
    </main>
  );
}
