import { useState } from 'react';
import { Checkbox, Field, SearchBox, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Group, GroupImpact, User, UserSelection } from '../../api/types.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { useCatalogNames } from '../customers/api.ts';
import { useUsers } from '../users/api.ts';
import { isImpact, ruleFrom, useGroupMembersChange, useGroupNames, useUpdateGroup } from './api.ts';
import { ImpactPanel } from './ImpactPanel.tsx';
import { RuleFields, ruleText, type RuleText } from './RuleFields.tsx';

const useStyles = makeStyles({
  picks: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    maxHeight: '40vh',
    overflowY: 'auto',
    display: 'flex',
    flexDirection: 'column',
  },
  upn: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
});

/** A dry run and the send it leads to, as one thing for a dialog: pending, last error, reset. */
function both(a: { isPending: boolean; error: unknown; reset: () => void }, b: typeof a) {
  return {
    isPending: a.isPending || b.isPending,
    error: a.error ?? b.error,
    reset: () => {
      a.reset();
      b.reset();
    },
  };
}

/** Keeps a dialog open after its first step (the dry run), to show the impact before sending. */
const stayOpen = () => Promise.reject(new Error('reviewing'));

/** A static group's "Add members": find users by name and tick them. */
export function AddMembersDialog({ customerId, group }: { customerId: string; group: Group }) {
  const styles = useStyles();
  const { t } = useTranslation('groups');
  const add = useGroupMembersChange(customerId, 'add');
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Map<string, User>>(new Map());
  const users = useUsers(customerId, { filter: search ? { search } : {}, page: 1, pageSize: 25 });
  return (
    <FormDialog
      trigger={{ children: t('add.button') }}
      scope="users:write"
      title={t('add.title', { name: group.name })}
      mutation={add}
      onOpen={() => {
        setSearch('');
        setPicked(new Map());
      }}
      canSubmit={picked.size > 0}
      onSubmit={() => add.mutateAsync({ groupId: group.id, selection: { userIds: [...picked.keys()] } })}
      submitLabel={t('add.submit', { count: picked.size })}
    >
      <Text>{t('add.hint')}</Text>
      <Field label={t('add.search')}>
        <SearchBox value={search} onChange={(_, d) => setSearch(d.value)} />
      </Field>
      {users.isPending && <Spinner size="tiny" label={t('add.loading')} />}
      <ul className={styles.picks} aria-label={t('add.found')}>
        {(users.data?.items ?? []).map((user) => (
          <li key={user.id}>
            <Checkbox
              checked={picked.has(user.id)}
              label={
                <>
                  {user.displayName} <span className={styles.upn}>{user.userPrincipalName}</span>
                </>
              }
              onChange={(_, d) =>
                setPicked((all) => {
                  const next = new Map(all);
                  if (d.checked === true) next.set(user.id, user as User);
                  else next.delete(user.id);
                  return next;
                })
              }
            />
          </li>
        ))}
      </ul>
      <Text role="status">{t('add.picked', { count: picked.size })}</Text>
    </FormDialog>
  );
}

/** Removing one member from a static group: the dry run says what the member would lose first. */
export function RemoveMemberDialog({ customerId, group, user }: { customerId: string; group: Group; user: User }) {
  const { t } = useTranslation('groups');
  const names = useCatalogNames();
  const remove = useGroupMembersChange(customerId, 'remove');
  const dryRun = useGroupMembersChange(customerId, 'remove');
  const [impact, setImpact] = useState<GroupImpact>();
  const selection = { userIds: [user.id] };
  return (
    <FormDialog
      trigger={{
        size: 'small',
        appearance: 'subtle',
        'aria-label': t('remove.named', { name: user.displayName }),
        children: t('remove.button'),
      }}
      scope="users:write"
      kind="confirm"
      title={t('remove.title', { name: user.displayName, group: group.name })}
      mutation={both(remove, dryRun)}
      onOpen={() => {
        setImpact(undefined);
        if (group.licenses.length > 0)
          dryRun.mutate(
            { groupId: group.id, selection, dryRun: true },
            { onSuccess: (answer) => isImpact(answer) && setImpact(answer) },
          );
      }}
      canSubmit={group.licenses.length === 0 || impact !== undefined}
      onSubmit={() =>
        remove.mutateAsync({
          groupId: group.id,
          selection,
          ...(impact ? { confirmRemovals: impact.usersLosing } : {}),
        })
      }
      submitLabel={t('remove.confirm')}
    >
      <Text>{t('remove.explain')}</Text>
      {dryRun.isPending && <Spinner size="tiny" label={t('impact.computing')} />}
      {impact && <ImpactPanel impact={impact} names={names} />}
    </FormDialog>
  );
}

/** A dynamic group's new rule: first the dry run over every user it would add or drop, then the change. */
export function EditRuleDialog({ customerId, group }: { customerId: string; group: Group }) {
  const { t } = useTranslation('groups');
  const names = useCatalogNames();
  const update = useUpdateGroup(customerId, group.id);
  const dryRun = useUpdateGroup(customerId, group.id);
  const [rule, setRule] = useState<RuleText>(ruleText(group.membershipRule));
  const [impact, setImpact] = useState<{ for: string; impact: GroupImpact }>();
  const membershipRule = ruleFrom(rule);
  const key = JSON.stringify(membershipRule ?? null);
  const reviewed = impact?.for === key ? impact.impact : undefined;
  return (
    <FormDialog
      trigger={{ children: t('rule.edit') }}
      scope="users:write"
      title={t('rule.editTitle', { name: group.name })}
      mutation={both(update, dryRun)}
      onOpen={() => {
        setRule(ruleText(group.membershipRule));
        setImpact(undefined);
      }}
      canSubmit={membershipRule !== undefined}
      onSubmit={() => {
        if (!membershipRule) return stayOpen();
        if (!reviewed)
          return dryRun.mutateAsync({ body: { membershipRule }, dryRun: true }).then((answer) => {
            if (isImpact(answer)) setImpact({ for: key, impact: answer });
            return stayOpen();
          });
        return update.mutateAsync({ body: { membershipRule, confirmRemovals: reviewed.usersLosing } });
      }}
      submitLabel={
        !reviewed
          ? t('rule.review')
          : reviewed.usersLosing > 0
            ? t('licenses.confirmRemovals', { count: reviewed.usersLosing })
            : t('rule.save')
      }
    >
      <Text>{t('rule.explain')}</Text>
      <RuleFields value={rule} onChange={setRule} />
      {reviewed && <ImpactPanel impact={reviewed} names={names} />}
    </FormDialog>
  );
}

/**
 * "Add to group" on the users page: the current selection (picked users, or every user matching a
 * filter) joins a static group; dynamic groups choose their members by rule and are not offered.
 */
export function AddSelectionToGroupDialog({
  customerId,
  selection,
  count,
  onAdded,
}: {
  customerId: string;
  selection: UserSelection;
  count: number;
  onAdded: (added: number, group: Group) => void;
}) {
  const { t } = useTranslation('groups');
  const { groups } = useGroupNames(customerId);
  const candidates = groups.filter((g) => !g.membershipRule);
  const add = useGroupMembersChange(customerId, 'add');
  const [groupId, setGroupId] = useState('');
  const chosen = candidates.find((g) => g.id === groupId);
  return (
    <FormDialog
      trigger={{ disabled: count === 0, children: t('addSelection.button') }}
      scope="users:write"
      title={t('addSelection.title', { count })}
      mutation={add}
      onOpen={() => setGroupId(candidates[0]?.id ?? '')}
      canSubmit={chosen !== undefined}
      onSubmit={() =>
        add.mutateAsync({ groupId, selection }).then((answer) => {
          if (chosen && 'added' in answer) onAdded(answer.added, chosen);
        })
      }
      submitLabel={t('addSelection.submit')}
    >
      {candidates.length === 0 ? (
        <Text>{t('addSelection.noStaticGroups')}</Text>
      ) : (
        <Field label={t('addSelection.group')} hint={t('addSelection.hint')}>
          <Select value={groupId} onChange={(_, d) => setGroupId(d.value)}>
            {candidates.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        </Field>
      )}
    </FormDialog>
  );
}
