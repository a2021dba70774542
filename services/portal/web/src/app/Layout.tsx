import type { ReactNode } from 'react';
import { Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
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
  language: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
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
  const { t } = useTranslation();
  const customer = useCustomer(customerId);
  return (
    <nav className={styles.customerBar} aria-label={t('nav.customer')}>
      <Link href={paths.customers()}>{t('nav.customers')}</Link>
      <Text aria-hidden>›</Text>
      <Text weight="semibold">{customer.data?.name ?? '…'}</Text>
      {(['users', 'jobs'] as const).map((section) => (
        <Link
          key={section}
          href={section === 'jobs' ? paths.jobs(customerId) : paths.users(customerId)}
          className={mergeClasses(styles.section, current === section && styles.current)}
          aria-current={current === section ? 'page' : undefined}
        >
          {section === 'jobs' ? t('nav.jobs') : t('nav.users')}
        </Link>
      ))}
    </nav>
  );
}

export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <>
      <header className={styles.header}>
        <Text as="span" className={styles.brand}>
          {t('appName')}
        </Text>
        <span className={styles.spacer} />
        <LanguageSwitch className={styles.language} />
        <Button appearance="transparent" className={styles.signOut} onClick={() => storeApiKey(null)}>
          {t('signOut')}
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
