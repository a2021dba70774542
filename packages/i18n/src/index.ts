export { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, negotiateLanguage, type Language } from './language.ts';
export {
  PROBLEM_TEXTS,
  problemDetail,
  problemTitle,
  type NotFoundResource,
  type ProblemParams,
} from './problems.ts';
export {
  CHANGE_ERROR_MESSAGES,
  changeErrorMessage,
  type ChangeErrorFields,
  type ChangeFields,
  type Names,
} from './change-errors.ts';
