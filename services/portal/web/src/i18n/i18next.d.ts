// Typed keys: t('…') accepts only keys of the English texts, per namespace.
import 'i18next';
import type auth from '../locales/en/auth.json';
import type common from '../locales/en/common.json';
import type customers from '../locales/en/customers.json';
import type errors from '../locales/en/errors.json';
import type groups from '../locales/en/groups.json';
import type jobs from '../locales/en/jobs.json';
import type keys from '../locales/en/keys.json';
import type licenses from '../locales/en/licenses.json';
import type users from '../locales/en/users.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      auth: typeof auth;
      common: typeof common;
      customers: typeof customers;
      errors: typeof errors;
      groups: typeof groups;
      jobs: typeof jobs;
      keys: typeof keys;
      licenses: typeof licenses;
      users: typeof users;
    };
  }
}
