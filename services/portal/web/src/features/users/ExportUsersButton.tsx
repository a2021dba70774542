import { useState } from 'react';
import { Button, Spinner } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { UserFilter } from '../../api/types.ts';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { useCatalogNames } from '../customers/api.ts';
import { allUsers } from './api.ts';
import { usersCsv } from './users-csv.ts';

/**
 * Downloads the users the list shows (its search and filters, every page) with their licenses as a
 * CSV file, products and plans by name.
 */
export function ExportUsersButton({ customerId, filter }: { customerId: string; filter: UserFilter }) {
  const { t } = useTranslation('users');
  const names = useCatalogNames();
  const [progress, setProgress] = useState<{ read: number; total: number }>();
  const [error, setError] = useState<unknown>();

  async function exportUsers() {
    setError(undefined);
    setProgress({ read: 0, total: 0 });
    try {
      const users = await allUsers(customerId, filter, (read, total) => setProgress({ read, total }));
      const url = URL.createObjectURL(new Blob([usersCsv(users, names)], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = 'users.csv';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err);
    } finally {
      setProgress(undefined);
    }
  }

  return (
    <>
      <Button disabled={progress !== undefined} onClick={() => void exportUsers()}>
        {t('export.button')}
      </Button>
      {progress && <Spinner size="tiny" label={t('export.progress', { read: progress.read, total: progress.total })} />}
      {error !== undefined && <ProblemMessage error={error} />}
    </>
  );
}
