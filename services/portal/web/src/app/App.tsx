import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { setUnauthorizedHandler } from '../api/http.ts';
import { usePageTitle } from '../components/usePageTitle.ts';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { storeApiKey, useApiKey } from '../features/auth/session.ts';
import { AuditPage } from '../features/audit/AuditPage.tsx';
import { CustomersPage } from '../features/customers/CustomersPage.tsx';
import { GroupPage } from '../features/groups/GroupPage.tsx';
import { GroupsPage } from '../features/groups/GroupsPage.tsx';
import { JobPage } from '../features/jobs/JobPage.tsx';
import { JobsPage } from '../features/jobs/JobsPage.tsx';
import { KeysPage } from '../features/keys/KeysPage.tsx';
import { ManageLicensesPage } from '../features/licenses/ManageLicensesPage.tsx';
import { SubscriptionsPage } from '../features/subscriptions/SubscriptionsPage.tsx';
import { SelectionProvider } from '../features/users/selection.tsx';
import { UserPage } from '../features/users/UserPage.tsx';
import { UsersPage } from '../features/users/UsersPage.tsx';
import { Layout } from './Layout.tsx';
import { matchRoute, usePath } from './router.tsx';

export function App() {
  const apiKey = useApiKey();
  const path = usePath();
  const queryClient = useQueryClient();

  useEffect(() => {
    setUnauthorizedHandler(() => storeApiKey(null));
    return () => setUnauthorizedHandler(undefined);
  }, []);
  useEffect(() => {
    if (!apiKey) queryClient.clear(); // nothing of a signed-out partner stays in memory
  }, [apiKey, queryClient]);

  if (!apiKey) return <SignInPage />;
  const route = matchRoute(path);
  return (
    <SelectionProvider>
      <Layout route={route}>
        {route.name === 'customers' && <CustomersPage />}
        {route.name === 'keys' && <KeysPage />}
        {route.name === 'users' && <UsersPage customerId={route.customerId} />}
        {route.name === 'user' && <UserPage customerId={route.customerId} userId={route.userId} />}
        {route.name === 'subscriptions' && <SubscriptionsPage customerId={route.customerId} />}
        {route.name === 'groups' && <GroupsPage customerId={route.customerId} />}
        {route.name === 'group' && <GroupPage customerId={route.customerId} groupId={route.groupId} />}
        {route.name === 'audit' && <AuditPage customerId={route.customerId} />}
        {route.name === 'licenses' && <ManageLicensesPage customerId={route.customerId} />}
        {route.name === 'jobs' && <JobsPage customerId={route.customerId} />}
        {route.name === 'job' && <JobPage customerId={route.customerId} jobId={route.jobId} />}
        {route.name === 'notFound' && <NotFound />}
      </Layout>
    </SelectionProvider>
  );
}

function NotFound() {
  const { t } = useTranslation();
  usePageTitle(t('notFound'));
  return <p>{t('notFound')}</p>;
}
