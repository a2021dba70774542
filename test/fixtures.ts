import type { Product } from '@licensing/domain';

/** A small catalog with every kind of rule, independent of the demo catalog. */
export const SUITE: Product = {
  id: 'SUITE_E3',
  name: 'Suite E3',
  servicePlans: [
    { id: 'EXCHANGE', name: 'Exchange Online' },
    { id: 'SHAREPOINT', name: 'SharePoint Online' },
    { id: 'FORMS', name: 'Forms', requires: ['SHAREPOINT'] },
    { id: 'TEAMS', name: 'Teams' },
  ],
  excludes: ['SUITE_BASIC'],
};
export const SUITE_BASIC: Product = {
  id: 'SUITE_BASIC',
  name: 'Suite Basic',
  servicePlans: [{ id: 'EXCHANGE_BASIC', name: 'Exchange Basic' }],
};
export const ADDON: Product = {
  id: 'PHONE_ADDON',
  name: 'Phone add-on',
  servicePlans: [{ id: 'PHONE', name: 'Phone system' }],
  requiresAnyOf: ['SUITE_E3'],
};
export const REGIONAL: Product = {
  id: 'CALLING_US',
  name: 'Calling plan (US only)',
  servicePlans: [{ id: 'PSTN', name: 'PSTN calling' }],
  availableIn: ['US', 'CA'],
};
export const REFUSED_IN_FR: Product = {
  id: 'COPILOT',
  name: 'Copilot',
  servicePlans: [{ id: 'COPILOT_CHAT', name: 'Copilot chat' }],
  unavailableIn: ['FR'],
};

export const TEST_PRODUCTS = [SUITE, SUITE_BASIC, ADDON, REGIONAL, REFUSED_IN_FR];
