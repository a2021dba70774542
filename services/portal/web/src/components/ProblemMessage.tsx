import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiProblem, ConnectionLost } from '../api/http.ts';

/** A sentence for any error a request can end with. */
export function problemText(error: unknown): string {
  if (error instanceof ApiProblem) {
    if (error.status === 429) return 'Too many requests in a short time. Wait a moment and try again.';
    return error.message;
  }
  if (error instanceof ConnectionLost) return error.message;
  return 'Something went wrong. Try again.';
}

/** An API problem document (or a lost connection) as a readable message, with its code for support. */
export function ProblemMessage({ error, title }: { error: unknown; title?: string }) {
  const code = error instanceof ApiProblem ? error.code : undefined;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        {title && <MessageBarTitle>{title}</MessageBarTitle>}
        {problemText(error)}
        {code && code !== 'unknown' ? ` (${code})` : ''}
      </MessageBarBody>
    </MessageBar>
  );
}
