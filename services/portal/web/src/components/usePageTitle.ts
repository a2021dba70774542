import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** The browser tab's title: the page's name, then the portal's, in the chosen language. */
export function usePageTitle(page: string | undefined) {
  const { t } = useTranslation();
  const title = page ? t('pageTitle', { page }) : t('appName');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
