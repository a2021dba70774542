import type { ReactNode } from 'react';
import { Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { storeApiKey } from '../features/auth/session.ts';
import { useCustomer } from '../features/customers/api.ts';
import { Link, paths, type Route } from './router.tsx';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, color: 'inherit' },
  spacer: { flexGrow: 1 },
  signOut: { color: tokens.colorNeutralForegroundOnBrand },
  main: {
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '1400px',
  },
  customerBar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  section: {
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThick} solid transparent`,
  },
  current: { borderBottomColor: tokens.colorBrandStroke1, fontWeight: tokens.fontWeightSemibold },
});

function CustomerNav({ customerId, current }: { customerId: string; current: 'users' | 'jobs' }) {
  const styles = useStyles();
  const customer = useCustomer(customerId);
  return (
    <nav className={styles.customerBar} aria-label="Customer">
      <Link href={paths.customers()}>Customers</Link>
      <Text aria-hidden>›</Text>
      <Text weight="semibold">{customer.data?.name ?? '…'}</Text>
      {(['users', 'jobs'] as const).map((section) => (
        <Link
          key={section}
          href={section === 'jobs' ? paths.jobs(customerId) : paths.users(customerId)}
          className={mergeClasses(styles.section, current === section && styles.current)}
          aria-current={current === section ? 'page' : undefined}
        >
          {section === 'jobs' ? 'Jobs' : 'Users'}
        </Link>
      ))}
    </nav>
  );
}

export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const styles = useStyles();
  return (
    <>
      <header className={styles.header}>
        <Text as="span" className={styles.brand}>
          Partner portal
        </Text>
        <span className={styles.spacer} />
        <Button appearance="transparent" className={styles.signOut} onClick={() => storeApiKey(null)}>
          Sign out
        </Button>
      </header>
      <main className={styles.main}>
        {'customerId' in route && (
          <CustomerNav
            customerId={route.customerId}
            current={route.name === 'jobs' || route.name === 'job' ? 'jobs' : 'users'}
          />
        )}
        {children}
      </main>
    </>
  );
}
