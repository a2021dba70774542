// The demo catalog seeded on the catalog service's first start: a dozen products modelled on
// Microsoft 365 licensing, so a fresh system can be tried at once. It exercises every rule:
// suites with service plans that depend on each other, suites that exclude each other, add-ons
// that need a suite, and products limited to or refused in some countries.
import type { Product } from '@licensing/domain';

const EU_EEA = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
];
const SANCTIONED = ['CN', 'RU', 'KP', 'IR', 'SY', 'CU'];

// The seven plans every enterprise suite shares (each suite stays within 10 plans).
const officePlans = (suffix: string) => [
  { id: 'EXCHANGE_S_ENTERPRISE', name: 'Exchange Online (Plan 2)' },
  { id: 'SHAREPOINTENTERPRISE', name: 'SharePoint Online (Plan 2)' },
  { id: 'OFFICESUBSCRIPTION', name: 'Microsoft 365 Apps for enterprise' },
  { id: 'MCOSTANDARD', name: 'Skype for Business Online (Plan 2)' },
  { id: `FORMS_PLAN_${suffix}`, name: `Microsoft Forms (Plan ${suffix})`, requires: ['SHAREPOINTENTERPRISE'] },
  { id: `STREAM_O365_${suffix}`, name: `Stream (Plan ${suffix})`, requires: ['SHAREPOINTENTERPRISE'] },
  {
    id: 'PROJECTWORKMANAGEMENT',
    name: 'Microsoft Planner',
    requires: ['EXCHANGE_S_ENTERPRISE', 'SHAREPOINTENTERPRISE'],
  },
];
const collaborationPlans = [
  { id: 'SWAY', name: 'Sway' },
  { id: 'YAMMER_ENTERPRISE', name: 'Viva Engage (Yammer)' },
];

export const demoProducts: Product[] = [
  {
    id: 'O365_BUSINESS_ESSENTIALS',
    name: 'Microsoft 365 Business Basic',
    servicePlans: [
      { id: 'EXCHANGE_S_STANDARD', name: 'Exchange Online (Plan 1)' },
      { id: 'SHAREPOINTSTANDARD', name: 'SharePoint Online (Plan 1)' },
      { id: 'TEAMS1', name: 'Microsoft Teams' },
      { id: 'FORMS_PLAN_E1', name: 'Microsoft Forms (Plan E1)', requires: ['SHAREPOINTSTANDARD'] },
      {
        id: 'PROJECTWORKMANAGEMENT',
        name: 'Microsoft Planner',
        requires: ['EXCHANGE_S_STANDARD', 'SHAREPOINTSTANDARD'],
      },
    ],
    excludes: ['O365_BUSINESS_PREMIUM', 'SPB'],
  },
  {
    id: 'O365_BUSINESS_PREMIUM',
    name: 'Microsoft 365 Business Standard',
    servicePlans: [
      { id: 'EXCHANGE_S_STANDARD', name: 'Exchange Online (Plan 1)' },
      { id: 'SHAREPOINTSTANDARD', name: 'SharePoint Online (Plan 1)' },
      { id: 'OFFICE_BUSINESS', name: 'Microsoft 365 Apps for business' },
      { id: 'TEAMS1', name: 'Microsoft Teams' },
      { id: 'FORMS_PLAN_E1', name: 'Microsoft Forms (Plan E1)', requires: ['SHAREPOINTSTANDARD'] },
      {
        id: 'PROJECTWORKMANAGEMENT',
        name: 'Microsoft Planner',
        requires: ['EXCHANGE_S_STANDARD', 'SHAREPOINTSTANDARD'],
      },
      { id: 'SWAY', name: 'Sway' },
    ],
    excludes: ['SPB'],
  },
  {
    id: 'SPB',
    name: 'Microsoft 365 Business Premium',
    servicePlans: [
      { id: 'EXCHANGE_S_STANDARD', name: 'Exchange Online (Plan 1)' },
      { id: 'SHAREPOINTSTANDARD', name: 'SharePoint Online (Plan 1)' },
      { id: 'OFFICE_BUSINESS', name: 'Microsoft 365 Apps for business' },
      { id: 'TEAMS1', name: 'Microsoft Teams' },
      { id: 'INTUNE_A', name: 'Microsoft Intune' },
      { id: 'AAD_PREMIUM', name: 'Microsoft Entra ID P1' },
      { id: 'ATP_ENTERPRISE', name: 'Defender for Office 365 (Plan 1)', requires: ['EXCHANGE_S_STANDARD'] },
      {
        id: 'PROJECTWORKMANAGEMENT',
        name: 'Microsoft Planner',
        requires: ['EXCHANGE_S_STANDARD', 'SHAREPOINTSTANDARD'],
      },
    ],
    excludes: ['SPE_E3', 'SPE_E5'],
  },
  {
    id: 'ENTERPRISEPACK',
    name: 'Office 365 E3',
    servicePlans: [...officePlans('E3'), ...collaborationPlans, { id: 'TEAMS1', name: 'Microsoft Teams' }],
  },
  {
    id: 'SPE_E3',
    name: 'Microsoft 365 E3',
    servicePlans: [
      ...officePlans('E3'),
      { id: 'TEAMS1', name: 'Microsoft Teams' },
      { id: 'INTUNE_A', name: 'Microsoft Intune' },
      { id: 'AAD_PREMIUM', name: 'Microsoft Entra ID P1' },
    ],
    excludes: ['ENTERPRISEPACK', 'SPE_E5'],
  },
  {
    id: 'SPE_E5',
    name: 'Microsoft 365 E5',
    servicePlans: [
      ...officePlans('E5'),
      { id: 'TEAMS1', name: 'Microsoft Teams' },
      { id: 'MCOEV', name: 'Teams Phone System', requires: ['TEAMS1'] },
      { id: 'THREAT_INTELLIGENCE', name: 'Defender for Office 365 (Plan 2)', requires: ['EXCHANGE_S_ENTERPRISE'] },
    ],
    excludes: ['ENTERPRISEPACK'],
  },
  {
    id: 'O365_E3_NO_TEAMS',
    name: 'Office 365 E3 (no Teams)',
    servicePlans: [...officePlans('E3'), ...collaborationPlans],
    availableIn: EU_EEA,
    excludes: ['ENTERPRISEPACK', 'SPE_E3', 'SPE_E5'],
  },
  {
    id: 'MCOEV',
    name: 'Microsoft Teams Phone Standard',
    servicePlans: [{ id: 'MCOEV', name: 'Teams Phone System' }],
    requiresAnyOf: ['ENTERPRISEPACK', 'SPE_E3', 'SPE_E5', 'SPB', 'O365_BUSINESS_PREMIUM', 'O365_BUSINESS_ESSENTIALS'],
  },
  {
    id: 'MCOPSTN1',
    name: 'Microsoft Teams Domestic Calling Plan',
    servicePlans: [{ id: 'MCOPSTN1', name: 'Domestic Calling Plan' }],
    availableIn: ['US', 'CA', 'GB', 'IE', 'FR', 'DE', 'ES', 'IT', 'NL', 'AU', 'NZ', 'JP'],
    requiresAnyOf: ['MCOEV', 'SPE_E5'],
  },
  {
    id: 'Microsoft_365_Copilot',
    name: 'Microsoft 365 Copilot',
    servicePlans: [
      { id: 'M365_COPILOT_APPS', name: 'Copilot in Microsoft 365 apps' },
      { id: 'M365_COPILOT_TEAMS', name: 'Copilot in Microsoft Teams' },
      { id: 'GRAPH_CONNECTORS_COPILOT', name: 'Graph connectors in Copilot', requires: ['M365_COPILOT_APPS'] },
    ],
    unavailableIn: SANCTIONED,
    requiresAnyOf: ['ENTERPRISEPACK', 'SPE_E3', 'SPE_E5', 'O365_E3_NO_TEAMS', 'SPB', 'O365_BUSINESS_PREMIUM'],
  },
  {
    id: 'POWER_BI_PRO',
    name: 'Power BI Pro',
    servicePlans: [{ id: 'BI_AZURE_P2', name: 'Power BI Pro' }],
  },
  {
    id: 'VISIOCLIENT',
    name: 'Visio Plan 2',
    servicePlans: [
      { id: 'VISIO_CLIENT_SUBSCRIPTION', name: 'Visio desktop app' },
      { id: 'VISIOONLINE', name: 'Visio web app' },
    ],
  },
  {
    id: 'PROJECTPREMIUM',
    name: 'Project Plan 5',
    servicePlans: [
      { id: 'PROJECT_CLIENT_SUBSCRIPTION', name: 'Project desktop app' },
      { id: 'SHAREPOINT_PROJECT', name: 'Project Online service' },
      { id: 'PROJECT_PROFESSIONAL', name: 'Project for the web', requires: ['SHAREPOINT_PROJECT'] },
    ],
  },
  {
    id: 'EMS',
    name: 'Enterprise Mobility + Security E3',
    servicePlans: [
      { id: 'INTUNE_A', name: 'Microsoft Intune' },
      { id: 'AAD_PREMIUM', name: 'Microsoft Entra ID P1' },
      { id: 'RMS_S_PREMIUM', name: 'Azure Information Protection P1', requires: ['AAD_PREMIUM'] },
    ],
    unavailableIn: SANCTIONED,
  },
];
