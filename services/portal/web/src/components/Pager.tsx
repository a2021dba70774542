import { useId } from 'react';
import { Button, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format.ts';

const useStyles = makeStyles({
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  size: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

export const pageSizes = [25, 50, 100, 200] as const;

/**
 * First / Previous / Next / Last, the position, and a page size, for one page of a paged answer.
 * A new page size starts again at page 1. `count` words the total ("130 users"), in the caller's
 * namespace since the noun and its plural forms are the caller's.
 */
export function Pager(props: {
  label: string;
  list: { page: number; totalPages: number; total: number };
  pageSize: number;
  count: (total: number) => string;
  onPage: (page: number) => void;
  onPageSize: (pageSize: number) => void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const format = useFormat();
  const sizeId = useId();
  const { onPage } = props;
  const { page, total } = props.list;
  const last = Math.max(1, props.list.totalPages);
  return (
    <nav className={styles.pager} aria-label={props.label}>
      <Button onClick={() => onPage(1)} disabled={page <= 1}>
        {t('pager.first')}
      </Button>
      <Button onClick={() => onPage(page - 1)} disabled={page <= 1}>
        {t('pager.previous')}
      </Button>
      <Text aria-live="polite">
        {t('pager.position', { page: Math.min(page, last), last, total: props.count(total) })}
      </Text>
      <Button onClick={() => onPage(page + 1)} disabled={page >= last}>
        {t('pager.next')}
      </Button>
      <Button onClick={() => onPage(last)} disabled={page >= last}>
        {t('pager.last')}
      </Button>
      <span className={styles.size}>
        <label htmlFor={sizeId}>{t('pager.pageSize')}</label>
        <Select
          id={sizeId}
          value={String(props.pageSize)}
          onChange={(_, data) => {
            props.onPageSize(Number(data.value));
            onPage(1);
          }}
        >
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {format.number(size)}
            </option>
          ))}
        </Select>
      </span>
    </nav>
  );
}
