import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiProblem, ConnectionLost } from '../api/http.ts';

/**
 * A sentence for any error a request can end with. The API words its problems in the language
 * the portal asks for (Accept-Language); the portal words what never reached the API.
 */
export function problemText(error: unknown, t: TFunction): string {
  if (error instanceof ApiProblem) {
    // A 429 says which share is used up (the partner's queue, its jobs in progress, the rate) and
    // when to retry; only one without a detail gets the general wording.
    if (error.problem.detail) return error.problem.detail;
    if (error.status === 429) return t('problem.tooManyRequests');
    if (error.problem.title) return error.problem.title;
    return error.status >= 500 ? t('problem.unavailable') : t('problem.failed', { status: error.status });
  }
  if (error instanceof ConnectionLost) return t('problem.connectionLost');
  return t('problem.unknown');
}

/** An API problem document (or a lost connection) as a readable message, with its code for support. */
export function ProblemMessage({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const code = error instanceof ApiProblem ? error.code : undefined;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        {title && <MessageBarTitle>{title}</MessageBarTitle>}
        {problemText(error, t)}
        {code && code !== 'unknown' ? t('problem.code', { code }) : ''}
      </MessageBarBody>
    </MessageBar>
  );
}
