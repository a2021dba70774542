import { useId } from 'react';
import { Select, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, languages } from '../i18n/setup.ts';

const useStyles = makeStyles({
  switch: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

/** Each language named in its own words ("English", "Русский"), so that anyone finds theirs. */
function ownName(language: string): string {
  const name = new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
  return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
}

/** The language switch shown on every page; the choice is kept across reloads and sign-ins. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const id = useId();
  return (
    <span className={className ?? styles.switch}>
      <label htmlFor={id}>{t('language.label')}</label>
      <Select id={id} size="small" value={currentLanguage()} onChange={(_, data) => void changeLanguage(data.value)}>
        {languages.map((language) => (
          <option key={language} value={language} lang={language}>
            {ownName(language)}
          </option>
        ))}
      </Select>
    </span>
  );
}
