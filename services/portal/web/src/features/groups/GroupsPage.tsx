import { useState } from 'react';
import {
  Badge,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Group } from '../../api/types.ts';
import { Link, paths } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { usePageParams } from '../../components/useListParams.ts';
import { PHONE, useMediaQuery } from '../../components/useMediaQuery.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useFormat } from '../../i18n/format.ts';
import { useCatalogNames } from '../customers/api.ts';
import { useGroups } from './api.ts';
import { CreateGroupDialog, DeleteGroupDialog } from './GroupDialogs.tsx';

const useStyles = makeStyles({
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    overflowWrap: 'anywhere',
  },
  line: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  attention: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Static or dynamic, as a badge. */
export function GroupTypeBadge({ group }: { group: Group }) {
  const { t } = useTranslation('groups');
  return group.membershipRule ? (
    <Badge appearance="tint" color="brand">
      {t('dynamic')}
    </Badge>
  ) : (
    <Badge appearance="outline" color="informative">
      {t('static')}
    </Badge>
  );
}

/** The customer's license groups: members, what they grant, who waits for a seat or is in error. */
export function GroupsPage({ customerId }: { customerId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('groups');
  const format = useFormat();
  const names = useCatalogNames();
  const phone = useMediaQuery(PHONE);
  usePageTitle(t('title'));
  const { page, pageSize, setPage, setPageSize } = usePageParams();
  const groups = useGroups(customerId, page, pageSize);
  const [notice, setNotice] = useState<string>();
  // A new group is announced with a link to it (the dialog closes first; the page stays).
  const [created, setCreated] = useState<Group>();
  const items = groups.data?.items ?? [];
  const products = (group: Group) =>
    group.licenses.length === 0 ? (
      <span className={styles.muted}>{t('grantsNothing')}</span>
    ) : (
      format.list(group.licenses.map((l) => names.get(l.productId) ?? l.productId))
    );
  const problems = (group: Group) => (
    <>
      {group.membersWaiting > 0 && (
        <span className={styles.attention}>{t('waitingCount', { count: group.membersWaiting })} </span>
      )}
      {group.membersWithErrors > 0 && (
        <span className={styles.attention}>{t('errorCount', { count: group.membersWithErrors })}</span>
      )}
      {group.membersWaiting === 0 && group.membersWithErrors === 0 && (
        <span className={styles.muted}>{t('noProblems')}</span>
      )}
    </>
  );
  return (
    <>
      <Title2 as="h1">{t('title')}</Title2>
      <Text>{t('intro')}</Text>
      <div className={styles.actions}>
        <CreateGroupDialog
          customerId={customerId}
          onCreated={(group) => {
            setNotice(undefined);
            setCreated(group);
          }}
        />
      </div>
      {created && (
        <MessageBar intent="success">
          <MessageBarBody>
            {t('create.created', { name: created.name })}{' '}
            <Link href={paths.group(customerId, created.id)}>{t('create.open', { name: created.name })}</Link>
          </MessageBarBody>
        </MessageBar>
      )}
      {notice && (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {groups.error && <ProblemMessage error={groups.error} />}
      {groups.isPending && <Spinner label={t('loading')} />}
      {groups.data && groups.data.total === 0 && <Text>{t('empty')}</Text>}
      {groups.data && groups.data.total > 0 && (
        <>
          {phone ? (
            <ul className={styles.list} aria-label={t('title')}>
              {items.map((group) => (
                <li key={group.id} className={styles.item}>
                  <span className={styles.line}>
                    <Link href={paths.group(customerId, group.id)}>{group.name}</Link>
                    <GroupTypeBadge group={group} />
                    <DeleteGroupDialog
                      customerId={customerId}
                      group={group}
                      onDeleted={() => {
                        setCreated(undefined);
                        setNotice(t('delete.deleted', { name: group.name }));
                      }}
                    />
                  </span>
                  <Text>{t('memberCount', { count: group.memberCount })}</Text>
                  <Text>{products(group)}</Text>
                  <Text>{problems(group)}</Text>
                </li>
              ))}
            </ul>
          ) : (
            <Table aria-label={t('title')} size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('name')}</TableHeaderCell>
                  <TableHeaderCell>{t('type')}</TableHeaderCell>
                  <TableHeaderCell>{t('members')}</TableHeaderCell>
                  <TableHeaderCell>{t('products')}</TableHeaderCell>
                  <TableHeaderCell>{t('attention')}</TableHeaderCell>
                  <TableHeaderCell>{t('actions')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((group) => (
                  <TableRow key={group.id}>
                    <TableCell>
                      <Link href={paths.group(customerId, group.id)}>{group.name}</Link>
                    </TableCell>
                    <TableCell>
                      <GroupTypeBadge group={group} />
                    </TableCell>
                    <TableCell>{format.number(group.memberCount)}</TableCell>
                    <TableCell>{products(group)}</TableCell>
                    <TableCell>{problems(group)}</TableCell>
                    <TableCell>
                      <DeleteGroupDialog
                        customerId={customerId}
                        group={group}
                        onDeleted={() => {
                          setCreated(undefined);
                          setNotice(t('delete.deleted', { name: group.name }));
                        }}
                      />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <Pager
            label={t('pages')}
            count={(count) => t('count', { count })}
            list={groups.data}
            pageSize={pageSize}
            onPage={setPage}
            onPageSize={setPageSize}
          />
        </>
      )}
    </>
  );
}
