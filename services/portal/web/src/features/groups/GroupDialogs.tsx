import { useState } from 'react';
import { Field, Input, Radio, RadioGroup, Text, Textarea } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Group } from '../../api/types.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { ruleFrom, useCreateGroup, useDeleteGroup } from './api.ts';
import { emptyRule, RuleFields, type RuleText } from './RuleFields.tsx';

/** "New group": a name, a description, and static (members picked) or dynamic (a membership rule). */
export function CreateGroupDialog({
  customerId,
  onCreated,
}: {
  customerId: string;
  onCreated: (group: Group) => void;
}) {
  const { t } = useTranslation('groups');
  const create = useCreateGroup(customerId);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<'static' | 'dynamic'>('static');
  const [rule, setRule] = useState<RuleText>(emptyRule);
  const membershipRule = kind === 'dynamic' ? ruleFrom(rule) : undefined;
  return (
    <FormDialog
      trigger={{ appearance: 'primary', children: t('create.button') }}
      scope="users:write"
      title={t('create.title')}
      mutation={create}
      onOpen={() => {
        setName('');
        setDescription('');
        setKind('static');
        setRule(emptyRule);
      }}
      canSubmit={name.trim().length > 0 && (kind === 'static' || membershipRule !== undefined)}
      onSubmit={() =>
        create
          .mutateAsync({
            name: name.trim(),
            ...(description.trim() ? { description: description.trim() } : {}),
            ...(membershipRule ? { membershipRule } : {}),
          })
          .then(onCreated)
      }
      submitLabel={t('create.submit')}
    >
      <Field label={t('name')} required>
        <Input value={name} onChange={(_, d) => setName(d.value)} />
      </Field>
      <Field label={t('description')}>
        <Textarea value={description} onChange={(_, d) => setDescription(d.value)} />
      </Field>
      <Field label={t('create.type')}>
        <RadioGroup value={kind} onChange={(_, d) => setKind(d.value === 'dynamic' ? 'dynamic' : 'static')}>
          <Radio value="static" label={t('create.static')} />
          <Radio value="dynamic" label={t('create.dynamic')} />
        </RadioGroup>
      </Field>
      {kind === 'dynamic' && (
        <>
          <Text>{t('rule.explain')}</Text>
          <RuleFields value={rule} onChange={setRule} />
        </>
      )}
    </FormDialog>
  );
}

/** Deleting a group: only one that grants nothing (the API refuses others: group_has_licenses). */
export function DeleteGroupDialog({
  customerId,
  group,
  appearance,
  onDeleted,
}: {
  customerId: string;
  group: Group;
  appearance?: 'secondary' | 'subtle';
  onDeleted?: () => void;
}) {
  const { t } = useTranslation('groups');
  const remove = useDeleteGroup(customerId);
  return (
    <FormDialog
      trigger={{
        size: 'small',
        appearance: appearance ?? 'subtle',
        'aria-label': t('delete.named', { name: group.name }),
        children: t('delete.button'),
      }}
      scope="users:write"
      kind="confirm"
      modalType="alert"
      title={t('delete.named', { name: group.name })}
      mutation={remove}
      onSubmit={() => remove.mutateAsync(group.id).then(() => onDeleted?.())}
      submitLabel={t('delete.confirm')}
    >
      <Text>
        {group.licenses.length > 0 ? t('delete.grantsLicenses') : t('delete.explain', { count: group.memberCount })}
      </Text>
    </FormDialog>
  );
}
