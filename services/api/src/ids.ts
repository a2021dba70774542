import { notFound, type NotFoundResource } from '@licensing/http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing: 404, exactly as an unknown id. */
export function pathId(value: string, what: NotFoundResource): string {
  if (!UUID.test(value)) throw notFound(what);
  return value.toLowerCase();
}
