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
import { ApiProblem, api, data } from '../../api/http.ts';
import { problemText } from '../../components/ProblemMessage.tsx';
import { storeApiKey } from './session.ts';

const useStyles = makeStyles({
  page: { display: 'flex', justifyContent: 'center', paddingTop: '10vh' },
  card: { width: '420px', maxWidth: '90vw', padding: tokens.spacingHorizontalXXL },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

export function SignInPage() {
  const styles = useStyles();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    const apiKey = key.trim();
    if (!apiKey) {
      setError('Enter the API key your operator gave you.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      // Any partner call proves the key; the first page of customers is what comes next anyway.
      await data(api(apiKey).GET('/v1/customers', { params: { query: { page: 1, pageSize: 1 } } }), { signIn: true });
      storeApiKey(apiKey);
    } catch (err) {
      setError(
        err instanceof ApiProblem && err.status === 401
          ? 'That API key was not accepted. Check that you copied all of it, or ask your operator for a new one.'
          : problemText(err),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className={styles.page}>
      <Card className={styles.card}>
        <form className={styles.form} onSubmit={signIn} aria-labelledby="sign-in-title">
          <Title2 as="h1" id="sign-in-title">
            Partner portal
          </Title2>
          <Text>Sign in with your partner API key to manage your customers' licenses.</Text>
          {error && (
            <MessageBar intent="error" role="alert">
              <MessageBarBody>{error}</MessageBarBody>
            </MessageBar>
          )}
          <Field
            label="API key"
            required
            hint="The key is kept in this browser tab only, until you sign out or close it."
          >
            <Input
              type="password"
              value={key}
              onChange={(_, data) => setKey(data.value)}
              autoComplete="off"
              autoFocus
            />
          </Field>
          <Button appearance="primary" type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
      </Card>
    </main>
  );
}
