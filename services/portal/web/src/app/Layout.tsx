import { useEffect, useRef, type ReactNode } from 'react';
import { Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { storeApiKey } from '../features/auth/session.ts';
import { useCustomer } from '../features/customers/api.ts';
import { useAccess } from '../features/keys/access.tsx';
import { SignedInAs } from '../features/keys/SignedInAs.tsx';
import { Link, paths, usePath, type Route } from './router.tsx';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    '@media (max-width: 600px)': { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}` },
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, color: 'inherit' },
  spacer: { flexGrow: 1 },
  signOut: { color: tokens.colorNeutralForegroundOnBrand },
  headerNav: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'center' },
  headerLink: {
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': { color: tokens.colorNeutralForegroundOnBrand },
    ':hover:active': { color: tokens.colorNeutralForegroundOnBrand },
  },
  language: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  main: {
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '1400px',
    '@media (max-width: 600px)': { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}` },
  },
  customerBar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  section: {
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThick} solid transparent`,
  },
  current: { borderBottomColor: tokens.colorBrandStroke1, fontWeight: tokens.fontWeightSemibold },
  // Off screen until focused: the first Tab stop of every page.
  skip: {
    position: 'absolute',
    left: '-10000px',
    top: 'auto',
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorBrandForeground1,
    ':focus': { left: tokens.spacingHorizontalS, top: tokens.spacingVerticalS, zIndex: 1 },
  },
});

/**
 * After an in-app navigation, focus moves to the new page's heading (as a page load would start a
 * screen reader at the top); the heading appears once the page has its data, so it is waited for.
 */
function useFocusHeadingOnNavigation() {
  const path = usePath();
  // The page as loaded keeps the browser's own focus; only a navigation inside the app moves it.
  const loaded = useRef(path);
  const navigated = useRef(false);
  useEffect(() => {
    if (!navigated.current && path === loaded.current) return;
    navigated.current = true;
    let tries = 0;
    const timer = setInterval(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if (heading || ++tries > 50) {
        clearInterval(timer);
        if (!heading) return;
        heading.tabIndex = -1;
        heading.focus();
      }
    }, 50);
    return () => clearInterval(timer);
  }, [path]);
}

type Section = 'users' | 'groups' | 'subscriptions' | 'audit' | 'jobs';

function CustomerNav({ customerId, current }: { customerId: string; current: Section }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const customer = useCustomer(customerId);
  const sections: { section: Section; href: string; label: string }[] = [
    { section: 'users', href: paths.users(customerId), label: t('nav.users') },
    { section: 'groups', href: paths.groups(customerId), label: t('nav.groups') },
    { section: 'subscriptions', href: paths.subscriptions(customerId), label: t('nav.subscriptions') },
    { section: 'jobs', href: paths.jobs(customerId), label: t('nav.jobs') },
    { section: 'audit', href: paths.audit(customerId), label: t('nav.audit') },
  ];
  return (
    <nav className={styles.customerBar} aria-label={t('nav.customer')}>
      <Link href={paths.customers()}>{t('nav.customers')}</Link>
      <Text aria-hidden>›</Text>
      <Text weight="semibold">{customer.data?.name ?? '…'}</Text>
      {sections.map(({ section, href, label }) => (
        <Link
          key={section}
          href={href}
          className={mergeClasses(styles.section, current === section && styles.current)}
          aria-current={current === section ? 'page' : undefined}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}

/** The partner's sections: customers, and its API keys for a key that may manage them. */
function HeaderNav() {
  const styles = useStyles();
  const { t } = useTranslation();
  const keys = useAccess('keys:manage');
  const path = usePath();
  return (
    <nav className={styles.headerNav} aria-label={t('nav.main')}>
      <Link
        href={paths.customers()}
        className={styles.headerLink}
        aria-current={path === '/customers' ? 'page' : undefined}
      >
        {t('nav.customers')}
      </Link>
      {keys.allowed && (
        <Link href={paths.keys()} className={styles.headerLink} aria-current={path === '/keys' ? 'page' : undefined}>
          {t('nav.keys')}
        </Link>
      )}
    </nav>
  );
}

function sectionOf(route: Route): Section {
  if (route.name === 'jobs' || route.name === 'job') return 'jobs';
  if (route.name === 'groups' || route.name === 'group') return 'groups';
  if (route.name === 'subscriptions') return 'subscriptions';
  if (route.name === 'audit') return 'audit';
  return 'users';
}

export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const styles = useStyles();
  const { t } = useTranslation();
  useFocusHeadingOnNavigation();
  return (
    <>
      <a href="#main" className={styles.skip}>
        {t('skipToContent')}
      </a>
      <header className={styles.header}>
        <Text as="span" className={styles.brand}>
          {t('appName')}
        </Text>
        <HeaderNav />
        <span className={styles.spacer} />
        <SignedInAs />
        <LanguageSwitch className={styles.language} />
        <Button appearance="transparent" className={styles.signOut} onClick={() => storeApiKey(null)}>
          {t('signOut')}
        </Button>
      </header>
      <main className={styles.main} id="main" tabIndex={-1}>
        {'customerId' in route && <CustomerNav customerId={route.customerId} current={sectionOf(route)} />}
        {children}
      </main>
    </>
  );
}
