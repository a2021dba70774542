import { useState } from 'react';
import { Field, MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../../api/http.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useCreateUsers } from './api.ts';
import { readImportFile, type ImportFile, type ImportRow, type RowProblem } from './users-csv.ts';

const useStyles = makeStyles({
  problems: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
    maxHeight: '40vh',
    overflowY: 'auto',
    overflowWrap: 'anywhere',
  },
  example: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
});

/** The API takes at most this many users in one batch. */
const MAX_IMPORT = 10_000;

function problemText(problem: RowProblem, t: TFunction<'users'>): string {
  switch (problem.code) {
    case 'missingField':
      return problem.field === 'displayName' ? t('import.missingDisplayName') : t('import.missingUserPrincipalName');
    case 'badUserPrincipalName':
      return t('import.badUserPrincipalName');
    case 'badUsageLocation':
      return t('import.badUsageLocation', { value: problem.value });
    case 'tooLong':
      return t('import.tooLong', { field: problem.field, max: problem.max });
    case 'repeated':
      return t('import.repeated', { line: problem.firstLine });
    case 'taken':
      return t('import.taken');
    case 'api':
      return t('import.refused', { field: problem.field, message: problem.message });
  }
}

/** Marks the rows an all-or-nothing batch was refused for, from the API's problem document. */
function withApiProblems(rows: ImportRow[], error: unknown): ImportRow[] | undefined {
  if (!(error instanceof ApiProblem)) return undefined;
  const key = (name: string) => name.normalize('NFKC').toLowerCase();
  if (error.code === 'duplicate_user_principal_name') {
    const taken = new Set(((error.problem.userPrincipalNames as string[] | undefined) ?? []).map(key));
    if (taken.size === 0) return undefined;
    return rows.map(
      (row): ImportRow =>
        taken.has(key(row.user.userPrincipalName)) ? { ...row, problems: [...row.problems, { code: 'taken' }] } : row,
    );
  }
  if (error.code === 'validation_error') {
    const errors = (error.problem.errors as { path: string; message: string }[] | undefined) ?? [];
    const next = rows.map((row): ImportRow => ({ ...row, problems: [...row.problems] }));
    let found = false;
    for (const { path, message } of errors) {
      const [, index, field] = /^users\.(\d+)\.?(.*)$/.exec(path) ?? [];
      const row = index === undefined ? undefined : next[Number(index)];
      if (!row) continue;
      row.problems.push({ code: 'api', field: field || '—', message });
      found = true;
    }
    return found ? next : undefined;
  }
  return undefined;
}

/**
 * Import users from a CSV file (POST …/users/batch, all or nothing). Every row is checked before
 * anything is sent, and a refusal of the API is shown on the rows it names: nothing is created until
 * every row is right.
 */
export function ImportUsersDialog({
  customerId,
  onImported,
}: {
  customerId: string;
  onImported: (count: number) => void;
}) {
  const { t } = useTranslation('users');
  const styles = useStyles();
  const [file, setFile] = useState<ImportFile>();
  const [rows, setRows] = useState<ImportRow[]>([]);
  const create = useCreateUsers(customerId);
  const withProblems = rows.filter((row) => row.problems.length > 0);
  const ready = file?.ok === true && rows.length > 0 && rows.length <= MAX_IMPORT && withProblems.length === 0;

  async function choose(chosen: File | undefined) {
    create.reset();
    if (!chosen) {
      setFile(undefined);
      setRows([]);
      return;
    }
    const read = readImportFile(await chosen.text());
    setFile(read);
    setRows(read.ok ? read.rows : []);
  }

  return (
    <FormDialog
      trigger={{ children: t('import.button') }}
      scope="users:write"
      kind="confirm"
      title={t('import.title')}
      mutation={create}
      onOpen={() => void choose(undefined)}
      onSubmit={() =>
        create.mutateAsync(rows.map((row) => row.user)).then(
          (created) => onImported(created.items.length),
          (error: unknown) => {
            const marked = withApiProblems(rows, error);
            if (marked) setRows(marked);
            throw error;
          },
        )
      }
      submitLabel={t('import.submit', { count: rows.length })}
      canSubmit={ready}
      // A refusal that names rows is shown on them.
      renderError={(error) => (withProblems.length ? null : <ProblemMessage error={error} />)}
    >
      <Text>{t('import.intro')}</Text>
      <Text className={styles.example}>{t('import.example')}</Text>
      <Field label={t('import.file')}>
        {(fieldProps) => (
          <input
            {...fieldProps}
            type="file"
            accept=".csv,text/csv"
            onChange={(event) => void choose(event.target.files?.[0])}
          />
        )}
      </Field>
      {file?.ok === false && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            {file.problem === 'empty'
              ? t('import.emptyFile')
              : t('import.missingColumns', { columns: (file.missing ?? []).join(', ') })}
          </MessageBarBody>
        </MessageBar>
      )}
      {file?.ok && rows.length > MAX_IMPORT && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{t('import.tooMany', { rows: rows.length, max: MAX_IMPORT })}</MessageBarBody>
        </MessageBar>
      )}
      {file?.ok && withProblems.length === 0 && rows.length <= MAX_IMPORT && (
        <Text role="status">{t('import.readyToImport', { count: rows.length })}</Text>
      )}
      {withProblems.length > 0 && (
        <>
          <MessageBar intent="error" role="alert">
            <MessageBarBody>
              {t('import.rowsWithProblems', { count: withProblems.length, total: rows.length })}
            </MessageBarBody>
          </MessageBar>
          <ul className={styles.problems} aria-label={t('import.problemsLabel')}>
            {withProblems.slice(0, 200).map((row) => (
              <li key={row.line}>
                {t('import.rowProblem', {
                  line: row.line,
                  name: row.user.userPrincipalName || '—',
                  problems: row.problems.map((problem) => problemText(problem, t)).join(' '),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </FormDialog>
  );
}
