import { useEffect, useId, useMemo, useState } from 'react';
import {
  Button,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  SearchBox,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  ToggleButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { User, UserFilter } from '../../api/types.ts';
import { Link, navigate, paths, withSearch } from '../../app/router.tsx';
import { Pager } from '../../components/Pager.tsx';
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import { PHONE, useMediaQuery } from '../../components/useMediaQuery.ts';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { setListParams, usePageParams } from '../../components/useListParams.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSubscriptions } from '../customers/api.ts';
import { useUsers } from './api.ts';
import { AddUserDialog } from './AddUserDialog.tsx';
import { DeleteUserDialog } from './DeleteUserDialog.tsx';
import { EditUserDialog } from './EditUserDialog.tsx';
import { useGroupNames } from '../groups/api.ts';
import { AddSelectionToGroupDialog } from '../groups/MemberDialogs.tsx';
import { ExportUsersButton } from './ExportUsersButton.tsx';
import { ImportUsersDialog } from './ImportUsersDialog.tsx';
import { SelectedUsersPanel } from './SelectedUsersPanel.tsx';
import { type SelectedUser, selectionParams, selectionRequest, useSelection, useSelectionInUrl } from './selection.tsx';

/** The most users one job (or overview, or preview) takes, as the API says (`too_many_users`). */
const MAX_USERS_PER_JOB = 50_000;
/** How long typing must pause before the search is sent. */
const SEARCH_PAUSE_MS = 250;

const useStyles = makeStyles({
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'end', flexWrap: 'wrap' },
  selectionBar: {
    display: 'flex',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    flexWrap: 'wrap',
    minHeight: '32px',
  },
  body: {
    display: 'flex',
    gap: tokens.spacingHorizontalXL,
    alignItems: 'flex-start',
    '@media (max-width: 900px)': { flexDirection: 'column', alignItems: 'stretch' },
  },
  tableColumn: { flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  checkboxCell: { width: '44px' },
  muted: { color: tokens.colorNeutralForeground3 },
  name: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalXS },
  // On a phone each user is an item of a list: the checkbox, then the user's lines.
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  listItem: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  listText: { display: 'flex', flexDirection: 'column', minWidth: 0, flexGrow: 1, overflowWrap: 'anywhere' },
  secondary: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/** The user's name, a link to the user's page. */
function UserName({ customerId, user }: { customerId: string; user: SelectedUser }) {
  return <Link href={paths.user(customerId, user.id)}>{user.displayName}</Link>;
}

/** A row's Edit and Delete. */
function UserActions({ customerId, user, onDeleted }: { customerId: string; user: User; onDeleted: () => void }) {
  return (
    <span>
      <EditUserDialog customerId={customerId} user={user} />
      <DeleteUserDialog customerId={customerId} user={user} onDeleted={onDeleted} />
    </span>
  );
}

/**
 * The search box. What is typed stays in here: the page and its list are not rendered again per
 * key. Once typing pauses, the search goes to the URL (page 1) and the list asks for it; a request
 * still running for the text before is cancelled (TanStack Query aborts the query no page shows).
 */
function UserSearchBox({ search, disabled }: { search: string; disabled: boolean }) {
  const { t } = useTranslation('users');
  const { t: tc } = useTranslation();
  const [text, setText] = useState(search);
  // The URL's search changed from outside the box (a link, the users tab): the box shows it.
  const [urlSearch, setUrlSearch] = useState(search);
  if (search !== urlSearch) {
    setUrlSearch(search);
    if (search !== text.trim()) setText(search);
  }
  // A changed search starts again at page 1, once typing pauses; an unchanged one leaves the page
  // alone (a page picked right after the list appeared must not be reset by the first render's timer).
  useEffect(() => {
    const next = text.trim();
    if (next === search) return;
    const timer = setTimeout(() => setListParams({ search: next, page: 1 }), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, search]);
  return (
    <Field label={t('search')}>
      <SearchBox
        placeholder={t('searchPlaceholder')}
        dismiss={{ 'aria-label': tc('clearSearch') }}
        disabled={disabled}
        value={text}
        onChange={(_, data) => setText(data.value)}
      />
    </Field>
  );
}

const licenseStates = ['all', 'licensed', 'unlicensed', 'has', 'lacks'] as const;
type LicenseState = (typeof licenseStates)[number];

function parseLicenseState(value: string | null): LicenseState {
  return licenseStates.find((state) => state === value) ?? 'all';
}

export function UsersPage({ customerId }: { customerId: string }) {
  const styles = useStyles();
  const { t } = useTranslation('users');
  const { t: tg } = useTranslation('groups');
  const { names: groupNames } = useGroupNames(customerId);
  const format = useFormat();
  usePageTitle(t('title'));
  // Page, search, filters and the "Selected users" view live in the URL (with the selection, see
  // useSelectionInUrl): a reload keeps them and a link opens the same list.
  const { params, page, pageSize, setPage, setPageSize } = usePageParams();
  const search = params.get('search') ?? '';
  const licenseState = parseLicenseState(params.get('license'));
  const productId = params.get('product') ?? '';
  const onlySelected = params.get('view') === 'selected';
  const setOnlySelected = (next: boolean) => setListParams({ view: next ? 'selected' : undefined, page: 1 });
  const [notice, setNotice] = useState<string>();
  const productSelectId = useId();
  const subscriptions = useSubscriptions(customerId);
  const productNames = useMemo(
    () => new Map((subscriptions.data?.items ?? []).map((s) => [s.productId, s.productName])),
    [subscriptions.data],
  );

  const filter = useMemo<UserFilter>(() => {
    const result: UserFilter = {};
    if (search) result.search = search;
    if (licenseState === 'licensed') result.licensed = true;
    if (licenseState === 'unlicensed') result.licensed = false;
    if (licenseState === 'has' && productId) result.hasProduct = productId;
    if (licenseState === 'lacks' && productId) result.lacksProduct = productId;
    return result;
  }, [search, licenseState, productId]);

  const { selection, count, isSelected, setUsers, selectMatching, clear } = useSelection(customerId);
  useSelectionInUrl(customerId);
  // "Selected users": the table shows the selection instead of the search (the filter itself when
  // every matching user is selected; otherwise the picks, paged here).
  const showSelected = onlySelected && count > 0;
  const users = useUsers(customerId, {
    filter: showSelected && selection.kind === 'matching' ? selection.filter : filter,
    page,
    pageSize,
  });
  const picked = useMemo(() => (selection.kind === 'users' ? [...selection.users.values()] : []), [selection]);
  const list =
    showSelected && selection.kind === 'users'
      ? {
          items: picked.slice((page - 1) * pageSize, page * pageSize),
          page,
          total: picked.length,
          totalPages: Math.ceil(picked.length / pageSize),
        }
      : users.data;
  const items = list?.items ?? [];
  const selectedOnPage = items.filter((user) => isSelected(user.id)).length;
  const pageState = items.length > 0 && selectedOnPage === items.length ? true : selectedOnPage > 0 ? 'mixed' : false;
  const total = showSelected ? 0 : (users.data?.total ?? 0);
  // A large customer's broad filter is counted from a sample: its total is "about" so many.
  const estimated = list === users.data && users.data?.totalIsEstimate === true;
  const matchingSelected = selection.kind === 'matching';
  const phone = useMediaQuery(PHONE);
  const licenseText = (user: SelectedUser) =>
    !user.licenses ? null : user.licenses.length === 0 ? (
      <span className={styles.muted}>{t('unlicensed')}</span>
    ) : (
      format.list(
        user.licenses.map((l) => {
          const product = productNames.get(l.productId) ?? l.productId;
          const from = (l.assignedBy?.groupIds ?? []).map((id) => groupNames.get(id) ?? tg('aGroup'));
          return from.length ? t('throughGroups', { product, groups: format.list(from) }) : product;
        }),
      )
    );
  // A job (like an overview or a preview) takes at most this many users; a larger selection is kept
  // but cannot be managed until it is narrowed.
  const tooMany = matchingSelected && count > MAX_USERS_PER_JOB;

  return (
    <>
      <Title2 as="h1">{t('title')}</Title2>
      <div className={styles.actions}>
        <AddUserDialog
          customerId={customerId}
          onAdded={(user) => setNotice(t('add.added', { name: user.displayName }))}
        />
        <ImportUsersDialog customerId={customerId} onImported={(count) => setNotice(t('import.imported', { count }))} />
        <ExportUsersButton
          customerId={customerId}
          filter={showSelected && selection.kind === 'matching' ? selection.filter : filter}
        />
      </div>
      {notice && (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      <search className={styles.toolbar}>
        <UserSearchBox search={search} disabled={showSelected} />
        <Field label={t('licenseFilter')}>
          <Select
            disabled={showSelected}
            value={licenseState}
            onChange={(_, data) => setListParams({ license: data.value === 'all' ? undefined : data.value, page: 1 })}
          >
            <option value="all">{t('licenseState.all')}</option>
            <option value="licensed">{t('licenseState.licensed')}</option>
            <option value="unlicensed">{t('licenseState.unlicensed')}</option>
            <option value="has">{t('licenseState.has')}</option>
            <option value="lacks">{t('licenseState.lacks')}</option>
          </Select>
        </Field>
        {(licenseState === 'has' || licenseState === 'lacks') && (
          <Field label={t('product')}>
            <Select
              disabled={showSelected}
              id={productSelectId}
              value={productId}
              onChange={(_, data) => setListParams({ product: data.value, page: 1 })}
            >
              <option value="">{t('chooseProduct')}</option>
              {(subscriptions.data?.items ?? []).map((s) => (
                <option key={s.productId} value={s.productId}>
                  {s.productName}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </search>

      <div className={styles.selectionBar}>
        <Text weight="semibold" role="status" aria-live="polite">
          {t('selected', { count })}
        </Text>
        {total > 0 && !matchingSelected && (
          <Button onClick={() => selectMatching(filter, total, Object.fromEntries(productNames))}>
            {estimated ? t('selectAllMatchingAbout', { count: total }) : t('selectAllMatching', { count: total })}
          </Button>
        )}
        <ToggleButton checked={showSelected} disabled={count === 0} onClick={() => setOnlySelected(!showSelected)}>
          {t('selectedUsers')}
        </ToggleButton>
        {count > 0 && <Button onClick={clear}>{t('clearSelection')}</Button>}
        <Button
          appearance="primary"
          disabled={count === 0 || tooMany}
          onClick={() => navigate(withSearch(paths.licenses(customerId), selectionParams(selection)))}
        >
          {t('manageLicenses')}
        </Button>
        <AddSelectionToGroupDialog
          customerId={customerId}
          selection={selectionRequest(selection)}
          count={tooMany ? 0 : count}
          onAdded={(added, group) => setNotice(tg('addSelection.added', { count: added, group: group.name }))}
        />
      </div>
      {tooMany && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('tooManyTitle')}</MessageBarTitle>
            {t('tooManySelected', { selected: count, max: MAX_USERS_PER_JOB })}{' '}
            <Link href={paths.groups(customerId)}>{t('tooManyGroup')}</Link>
          </MessageBarBody>
        </MessageBar>
      )}

      {users.error && <ProblemMessage error={users.error} />}
      <div className={styles.body}>
        <div className={styles.tableColumn}>
          {users.isPending && !list && <Spinner label={t('loading')} />}
          {list && (
            <>
              {phone ? (
                <>
                  <Checkbox
                    label={t('selectPage')}
                    checked={pageState}
                    disabled={items.length === 0 || matchingSelected}
                    onChange={(_, data) => setUsers(items, data.checked === true)}
                  />
                  <ul className={styles.list} aria-label={t('title')}>
                    {items.map((user) => (
                      <li key={user.id} className={styles.listItem}>
                        <Checkbox
                          aria-label={user.displayName}
                          checked={isSelected(user.id)}
                          disabled={matchingSelected}
                          onChange={(_, data) => setUsers([user], data.checked === true)}
                        />
                        <div className={styles.listText}>
                          <span className={styles.name}>
                            <UserName customerId={customerId} user={user} />
                            {user.licenses && (
                              <UserActions
                                customerId={customerId}
                                user={user as User}
                                onDeleted={() => {
                                  setUsers([user], false);
                                  setNotice(t('delete.deleted', { name: user.displayName }));
                                }}
                              />
                            )}
                          </span>
                          <span className={styles.secondary}>{user.userPrincipalName}</span>
                          <span className={styles.secondary}>
                            {format.list(
                              [
                                user.usageLocation ? format.region(user.usageLocation) : t('customersCountry'),
                                user.department ?? '',
                              ].filter(Boolean),
                            )}
                          </span>
                          <span>{licenseText(user)}</span>
                        </div>
                      </li>
                    ))}
                    {items.length === 0 && <li>{t('noMatch')}</li>}
                  </ul>
                </>
              ) : (
                <Table aria-label={t('title')} size="small">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell className={styles.checkboxCell}>
                        <Checkbox
                          aria-label={t('selectPage')}
                          checked={pageState}
                          disabled={items.length === 0 || matchingSelected}
                          onChange={(_, data) => setUsers(items, data.checked === true)}
                        />
                      </TableHeaderCell>
                      <TableHeaderCell>{t('name')}</TableHeaderCell>
                      <TableHeaderCell>{t('userPrincipalName')}</TableHeaderCell>
                      <TableHeaderCell>{t('usageLocation')}</TableHeaderCell>
                      <TableHeaderCell>{t('department')}</TableHeaderCell>
                      <TableHeaderCell>{t('licenses')}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {items.map((user) => (
                      <TableRow key={user.id} aria-selected={isSelected(user.id)}>
                        <TableCell className={styles.checkboxCell}>
                          <Checkbox
                            aria-label={user.displayName}
                            checked={isSelected(user.id)}
                            disabled={matchingSelected}
                            onChange={(_, data) => setUsers([user], data.checked === true)}
                          />
                        </TableCell>
                        <TableCell>
                          <span className={styles.name}>
                            <UserName customerId={customerId} user={user} />
                            {user.licenses && (
                              <UserActions
                                customerId={customerId}
                                user={user as User}
                                onDeleted={() => {
                                  setUsers([user], false);
                                  setNotice(t('delete.deleted', { name: user.displayName }));
                                }}
                              />
                            )}
                          </span>
                        </TableCell>
                        <TableCell>{user.userPrincipalName}</TableCell>
                        <TableCell>
                          {user.usageLocation ? (
                            format.region(user.usageLocation)
                          ) : (
                            <span className={styles.muted}>{t('customersCountry')}</span>
                          )}
                        </TableCell>
                        <TableCell>{user.department ?? ''}</TableCell>
                        <TableCell>{licenseText(user)}</TableCell>
                      </TableRow>
                    ))}
                    {items.length === 0 && (
                      <TableRow>
                        <TableCell colSpan={6}>{t('noMatch')}</TableCell>
                      </TableRow>
                    )}
                  </TableBody>
                </Table>
              )}
              <Pager
                label={t('pages')}
                count={(count) => (estimated ? t('countAbout', { count }) : t('count', { count }))}
                list={list}
                pageSize={pageSize}
                onPage={setPage}
                onPageSize={setPageSize}
              />
            </>
          )}
        </div>
        <SelectedUsersPanel customerId={customerId} />
      </div>
    </>
  );
}
