// Per-user error messages worded for the reader: results, previews and CSV carry each error's
// `message` in the request's language (Accept-Language), built by packages/i18n from the error's
// code and fields, with products and service plans named by their catalog names. The stored
// message (English, written by the worker) is kept for a code the catalog does not word.
import { listProducts, type DbOrTx } from '@licensing/db';
import { changeErrorMessage, type ChangeErrorFields, type Language, type Names } from '@licensing/i18n';

/** Product and service plan names by id, from the catalog as it is now. */
export async function catalogNames(db: DbOrTx): Promise<Names> {
  const names = new Map<string, string>();
  for (const product of await listProducts(db)) {
    names.set(product.id, product.name);
    for (const plan of product.servicePlans) if (!names.has(plan.id)) names.set(plan.id, plan.name);
  }
  return (id) => names.get(id);
}

interface WordableChange {
  productId: string;
  action: 'assign' | 'revoke';
  error?: (ChangeErrorFields & { message: string }) | null;
}

/** The message of one change's error in the language. */
export function errorMessage(change: WordableChange, language: Language, names: Names): string | undefined {
  if (!change.error) return undefined;
  return changeErrorMessage(change, change.error, language, { names, fallback: change.error.message });
}

/** The changes with each error's message worded in the language. */
export function wordChanges<T extends WordableChange>(changes: T[], language: Language, names: Names): T[] {
  return changes.map((change) =>
    change.error ? { ...change, error: { ...change.error, message: errorMessage(change, language, names)! } } : change,
  );
}
