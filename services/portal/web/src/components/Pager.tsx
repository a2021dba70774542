import { useId } from 'react';
import { Button, Select, Text, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  size: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

export const pageSizes = [25, 50, 100, 200] as const;

/**
 * First / Previous / Next / Last, the position, and a page size, for one page of a paged answer.
 * A new page size starts again at page 1.
 */
export function Pager(props: {
  label: string;
  list: { page: number; totalPages: number; total: number };
  pageSize: number;
  noun: string;
  onPage: (page: number) => void;
  onPageSize: (pageSize: number) => void;
}) {
  const styles = useStyles();
  const sizeId = useId();
  const { onPage } = props;
  const { page, total } = props.list;
  const last = Math.max(1, props.list.totalPages);
  return (
    <nav className={styles.pager} aria-label={props.label}>
      <Button onClick={() => onPage(1)} disabled={page <= 1}>
        First
      </Button>
      <Button onClick={() => onPage(page - 1)} disabled={page <= 1}>
        Previous
      </Button>
      <Text aria-live="polite">
        Page {Math.min(page, last).toLocaleString('en-US')} of {last.toLocaleString('en-US')} ·{' '}
        {total.toLocaleString('en-US')} {props.noun}
      </Text>
      <Button onClick={() => onPage(page + 1)} disabled={page >= last}>
        Next
      </Button>
      <Button onClick={() => onPage(last)} disabled={page >= last}>
        Last
      </Button>
      <span className={styles.size}>
        <label htmlFor={sizeId}>Page size</label>
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
              {size}
            </option>
          ))}
        </Select>
      </span>
    </nav>
  );
}
