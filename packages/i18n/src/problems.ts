// The one catalog of problem texts: each problem `code` worded in every language the API speaks.
// A problem's `title` is its HTTP status in words; its `detail` comes from here, built from the
// problem's own fields (its extensions, e.g. `userIds`, `shortages`) and the `params` it was
// thrown with. Codes and field names never change with the language; only these words do.
//
// A new code: add its texts here in every language (the check `pnpm i18n:check` fails on a code of
// the API's PROBLEM_CODES without them), then throw it with the values its texts use.
import type { Language } from './language.ts';
import { number, plural, quote, quoteAll } from './words.ts';

/** The values a problem's texts are built from: its extensions and its params. */
export type ProblemParams = Record<string, unknown>;
type Texts = Record<Language, (p: ProblemParams, language: Language) => string>;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const int = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));
const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** "plan "FORMS" requires "SHAREPOINT"; …" from `conflicts: [{plan, requires}]`. */
function planConflicts(p: ProblemParams, language: Language, requires: string): string {
  const conflicts = Array.isArray(p.conflicts) ? (p.conflicts as { plan: string; requires: string[] }[]) : [];
  const plan = language === 'ru' ? 'план' : 'plan';
  return conflicts
    .map((c) => `${plan} ${quote(language, c.plan)} ${requires} ${quoteAll(language, c.requires)}`)
    .join('; ');
}

/** Resources a `not_found` problem names. */
const RESOURCES: Record<string, Record<Language, string>> = {
  customer: { en: 'The customer', ru: 'Клиент не найден' },
  user: { en: 'The user', ru: 'Пользователь не найден' },
  licenseJob: { en: 'The license job', ru: 'Задание не найдено' },
  product: { en: 'The product', ru: 'Продукт не найден' },
  partner: { en: 'The partner', ru: 'Партнер не найден' },
  apiKey: { en: 'The API key', ru: 'Ключ API не найден' },
  webhook: { en: 'The webhook', ru: 'Веб-перехватчик не найден' },
  delivery: { en: 'The delivery', ru: 'Доставка не найдена' },
  group: { en: 'The group', ru: 'Группа не найдена' },
};
export type NotFoundResource = keyof typeof RESOURCES | (string & {});

/** What a `partner_concurrency_limit` problem says the partner holds its share of. */
const SHARED: Record<string, Record<Language, string>> = {
  csv: { en: 'results downloads as CSV', ru: 'выгрузок результатов в CSV' },
  selections: { en: 'large previews or license overviews', ru: 'больших предпросмотров или обзоров лицензий' },
  events: { en: 'job event streams', ru: 'потоков событий заданий' },
  jobs: { en: 'license jobs being accepted', ru: 'принимаемых заданий лицензирования' },
};

export const PROBLEM_TEXTS = {
  validation_error: {
    en: (p) => `Invalid ${str(p.where) || 'request'}: ${str(p.issues)}`,
    ru: (p) => `Недопустимые данные (${str(p.where) || 'request'}): ${str(p.issues)}`,
  },
  invalid_request: {
    en: (p) => {
      const names = strings(p.parameters);
      const allowed = strings(p.allowed);
      return `Unknown query parameter${names.length > 1 ? 's' : ''} ${quoteAll('en', names)}; ${
        allowed.length ? `this route takes ${allowed.join(', ')}` : 'this route takes none'
      }.`;
    },
    ru: (p) => {
      const names = strings(p.parameters);
      const allowed = strings(p.allowed);
      return `${names.length > 1 ? 'Неизвестные параметры' : 'Неизвестный параметр'} запроса ${quoteAll('ru', names)}; ${
        allowed.length ? `этот маршрут принимает ${allowed.join(', ')}` : 'этот маршрут параметров не принимает'
      }.`;
    },
  },
  malformed_json: {
    en: (p) => (p.notUtf8 ? 'The body is not valid UTF-8.' : 'The body is not valid JSON.'),
    ru: (p) => (p.notUtf8 ? 'Тело запроса — недопустимый UTF-8.' : 'Тело запроса — недопустимый JSON.'),
  },
  invalid_idempotency_key: {
    en: (p) => `Idempotency-Key must be 1 to ${int(p.maxLength)} characters.`,
    ru: (p) => `Idempotency-Key должен содержать от 1 до ${int(p.maxLength)} символов.`,
  },
  unauthorized: {
    en: (p) =>
      ({
        revoked: "This API key has been revoked; use the partner's current key.",
        partner: 'A valid partner API key is required as a Bearer token.',
        operator: 'The operator token is required.',
        queues: 'The operator token is required (Bearer, or as the basic-auth password).',
      })[str(p.reason)] ?? 'A valid Bearer credential is required.',
    ru: (p) =>
      ({
        revoked: 'Этот ключ API отозван; используйте текущий ключ партнера.',
        partner: 'Требуется действительный ключ API партнера в виде токена Bearer.',
        operator: 'Требуется токен оператора.',
        queues: 'Требуется токен оператора (Bearer или пароль базовой проверки подлинности).',
      })[str(p.reason)] ?? 'Требуются действительные учетные данные Bearer.',
  },
  not_found: {
    en: (p) => {
      if (p.resource === 'route') return `No route for ${str(p.method)} ${str(p.path)}.`;
      const what = RESOURCES[str(p.resource)]?.en ?? 'The resource';
      return p.id ? `${what} ${quote('en', str(p.id))} was not found.` : `${what} was not found.`;
    },
    ru: (p) => {
      if (p.resource === 'route') return `Нет маршрута ${str(p.method)} ${str(p.path)}.`;
      const what = RESOURCES[str(p.resource)]?.ru ?? 'Ресурс не найден';
      return p.id ? `${what}: ${quote('ru', str(p.id))}.` : `${what}.`;
    },
  },
  invisible_characters: {
    en: (p) =>
      `User principal names must not contain invisible or format characters: ${str(p.examples) || strings(p.userPrincipalNames).join(', ')}.`,
    ru: (p) =>
      `Имена участников-пользователей не должны содержать невидимых или форматирующих символов: ${str(p.examples) || strings(p.userPrincipalNames).join(', ')}.`,
  },
  duplicate_user_principal_name: {
    en: (p) => {
      const names = strings(p.userPrincipalNames).slice(0, 10).join(', ');
      return p.taken ? `The customer already has ${names || 'one of these users'}.` : `The request repeats ${names}.`;
    },
    ru: (p) => {
      const names = strings(p.userPrincipalNames).slice(0, 10).join(', ');
      return p.taken
        ? `У клиента уже есть ${names || 'один из этих пользователей'}.`
        : `В запросе повторяются: ${names}.`;
    },
  },
  quantity_below_usage: {
    en: (p) =>
      `Quantity ${int(p.quantity)} is below the ${int(p.assigned)} assigned and ${int(p.reserved)} reserved seats of ${quote('en', str(p.productId))}.`,
    ru: (p) =>
      `Количество ${int(p.quantity)} меньше, чем назначено (${int(p.assigned)}) и зарезервировано (${int(p.reserved)}) лицензий ${quote('ru', str(p.productId))}; минимум — ${int(p.minimumQuantity)}.`,
  },
  insufficient_licenses: {
    en: (p) =>
      `Not enough available licenses: ${(p.shortages as { productId: string; required: number; available: number }[])
        .map((s) => `${quote('en', s.productId)} needs ${s.required}, ${s.available} available`)
        .join('; ')}.`,
    ru: (p) =>
      `Недостаточно доступных лицензий: ${(p.shortages as { productId: string; required: number; available: number }[])
        .map((s) => `${quote('ru', s.productId)}: нужно ${s.required}, доступно ${s.available}`)
        .join('; ')}.`,
  },
  idempotency_key_in_use: {
    en: () => 'A request with this Idempotency-Key is still being processed; retry shortly.',
    ru: () => 'Запрос с этим Idempotency-Key еще обрабатывается; повторите чуть позже.',
  },
  job_finished: {
    en: () => 'The job has already finished; there is nothing left to cancel.',
    ru: () => 'Задание уже завершено; отменять нечего.',
  },
  too_many_api_keys: {
    en: (p) =>
      `The partner already has ${int(p.maxLiveKeys)} live ${p.issuedBy === 'partner' ? 'API keys of its own' : 'operator-issued API keys'}; revoke one before issuing another.`,
    ru: (p) =>
      `У партнера уже ${int(p.maxLiveKeys)} ${plural('ru', int(p.maxLiveKeys), { one: 'действующий', other: 'действующих' })} ${plural('ru', int(p.maxLiveKeys), { one: 'ключ', few: 'ключа', many: 'ключей', other: 'ключа' })} API ${p.issuedBy === 'partner' ? 'собственного выпуска' : 'от оператора'}; отзовите один, прежде чем выпускать новый.`,
  },
  key_expired: {
    en: () => 'This API key has expired; use another key of the partner.',
    ru: () => 'Срок действия этого ключа API истек; используйте другой ключ партнера.',
  },
  insufficient_scope: {
    en: (p) => {
      const verb = p.verb === 'revoke' ? 'revoke' : 'issue';
      switch (p.reason) {
        case 'allCustomers':
          return 'This API key is limited to some customers; this request acts for every customer of the partner and needs a key that is not.';
        case 'grantScopes':
          return `This API key cannot ${verb} a key with scopes it does not hold itself: ${strings(p.scopes).join(', ')}.`;
        case 'grantAllCustomers':
          return `This API key is limited to some customers; it cannot ${verb} a key for every customer.`;
        case 'grantCustomers':
          return `This API key cannot ${verb} a key for customers it may not reach itself.`;
        default:
          return `This API key lacks the scope ${quote('en', str(p.requiredScope))} this request needs.`;
      }
    },
    ru: (p) => {
      const verb = p.verb === 'revoke' ? 'отозвать' : 'выпустить';
      switch (p.reason) {
        case 'allCustomers':
          return 'Этот ключ API ограничен частью клиентов; запрос относится ко всем клиентам партнера и требует ключа без такого ограничения.';
        case 'grantScopes':
          return `Этот ключ API не может ${verb} ключ с разрешениями, которых у него самого нет: ${strings(p.scopes).join(', ')}.`;
        case 'grantAllCustomers':
          return `Этот ключ API ограничен частью клиентов; он не может ${verb} ключ для всех клиентов.`;
        case 'grantCustomers':
          return `Этот ключ API не может ${verb} ключ для клиентов, к которым у него самого нет доступа.`;
        default:
          return `У этого ключа API нет разрешения ${quote('ru', str(p.requiredScope))}, необходимого для запроса.`;
      }
    },
  },
  key_outlives_issuer: {
    en: (p) => `This API key expires at ${str(p.expiresAt)}; a key it issues cannot expire later.`,
    ru: (p) =>
      `Срок действия этого ключа API истекает ${str(p.expiresAt)}; выпущенный им ключ не может действовать дольше.`,
  },
  unknown_customers: {
    en: (p) => `The partner has no customer ${strings(p.customerIds).slice(0, 10).join(', ')}.`,
    ru: (p) => `У партнера нет клиента ${strings(p.customerIds).slice(0, 10).join(', ')}.`,
  },
  invalid_expiry: {
    en: () => '`expiresAt` must be in the future.',
    ru: () => '`expiresAt` должно быть в будущем.',
  },
  job_not_finished: {
    en: () => 'The job has not finished yet; wait for it or cancel it first.',
    ru: () => 'Задание еще не завершено; дождитесь его завершения или сначала отмените его.',
  },
  nothing_to_revert: {
    en: () =>
      'The job changed no license of a user that still exists (no user succeeded, or every change left the license as it was).',
    ru: () =>
      'Задание не изменило ни одной лицензии пользователей, которые еще существуют (ни один пользователь не обработан успешно, или каждое изменение оставило лицензию как была).',
  },
  not_before_too_far: {
    en: (p) => `A job can be scheduled at most ${int(p.maxDays)} days ahead (until ${str(p.latest)}).`,
    ru: (p) =>
      `Задание можно запланировать не более чем на ${plural('ru', int(p.maxDays), {
        one: `${number('ru', int(p.maxDays))} день`,
        few: `${number('ru', int(p.maxDays))} дня`,
        many: `${number('ru', int(p.maxDays))} дней`,
        other: `${number('ru', int(p.maxDays))} дня`,
      })} вперед (до ${str(p.latest)}).`,
  },
  nothing_to_retry: {
    en: () => 'No user of this job failed or was cancelled (among the users that still exist).',
    ru: () =>
      'Ни у одного пользователя этого задания нет ошибки или отмены (среди пользователей, которые еще существуют).',
  },
  unknown_users: {
    en: (p) => {
      const n = strings(p.userIds).length;
      return `${number('en', n)} of the selected users ${n === 1 ? 'does' : 'do'} not exist in this customer.`;
    },
    ru: (p) => {
      const n = strings(p.userIds).length;
      return `${plural('ru', n, {
        one: `${number('ru', n)} из выбранных пользователей не существует`,
        few: `${number('ru', n)} из выбранных пользователей не существуют`,
        many: `${number('ru', n)} из выбранных пользователей не существуют`,
        other: `${number('ru', n)} из выбранных пользователей не существуют`,
      })} у этого клиента.`;
    },
  },
  unknown_product: {
    en: (p) => `Unknown product ${quoteAll('en', strings(p.productIds))}.`,
    ru: (p) => `Неизвестный продукт ${quoteAll('ru', strings(p.productIds))}.`,
  },
  unknown_service_plan: {
    en: (p) =>
      `${quote('en', str(p.productId))} has no service plan ${quoteAll('en', strings(p.servicePlanIds), 'disjunction')}.`,
    ru: (p) =>
      `У ${quote('ru', str(p.productId))} нет плана обслуживания ${quoteAll('ru', strings(p.servicePlanIds), 'disjunction')}.`,
  },
  invalid_service_plans: {
    en: (p) =>
      `${quote('en', str(p.productId))}: ${planConflicts(p, 'en', 'requires')}; enable ${quoteAll('en', strings(p.servicePlanIds))} or disable the plans that require them.`,
    ru: (p) =>
      `${quote('ru', str(p.productId))}: ${planConflicts(p, 'ru', 'требует')}; включите ${quoteAll('ru', strings(p.servicePlanIds))} или отключите планы, которым они нужны.`,
  },
  no_subscription: {
    en: (p) => `The customer has no subscription to ${quoteAll('en', strings(p.productIds))}.`,
    ru: (p) => `У клиента нет подписки на ${quoteAll('ru', strings(p.productIds))}.`,
  },
  too_many_users: {
    en: (p) =>
      `The filter matches more than ${int(p.maxUsers)} users; narrow it down, or split the work into several requests.`,
    ru: (p) =>
      `Фильтру соответствует больше ${number('ru', int(p.maxUsers))} пользователей; сузьте его или разделите работу на несколько запросов.`,
  },
  no_matching_users: {
    en: () => 'No user of the customer matches the filter.',
    ru: () => 'Ни один пользователь клиента не соответствует фильтру.',
  },
  idempotency_key_reused: {
    en: () => 'This Idempotency-Key was already used with a different request body.',
    ru: () => 'Этот Idempotency-Key уже использовался с другим телом запроса.',
  },
  invalid_webhook_url: {
    en: (p) => `The webhook URL is refused: ${str(p.reason)}.`,
    ru: (p) => `URL-адрес веб-перехватчика отклонен: ${str(p.reason)}.`,
  },
  webhook_test_rate_limited: {
    en: (p) =>
      `Your partner may send ${int(p.limit)} test pings per minute, and has sent them; retry in ${int(p.retryAfter)} s.`,
    ru: (p) =>
      `Ваш партнер может отправлять веб-перехватчику не более ${int(p.limit)} тестовых уведомлений (ping) в минуту и уже отправил их; повторите через ${int(p.retryAfter)} с.`,
  },
  payload_too_large: {
    en: () => 'The request body is too large.',
    ru: () => 'Тело запроса слишком велико.',
  },
  unsupported_media_type: {
    en: () => 'The request body must be application/json.',
    ru: () => 'Тело запроса должно иметь тип application/json.',
  },
  rate_limited: {
    en: (p) =>
      p.max
        ? `Rate limit of ${int(p.max)} requests per minute exceeded; retry in ${int(p.retryAfter)} s.`
        : 'Too many requests; retry shortly.',
    ru: (p) =>
      p.max
        ? `Превышен предел в ${int(p.max)} запросов в минуту; повторите через ${int(p.retryAfter)} с.`
        : 'Слишком много запросов; повторите чуть позже.',
  },
  too_many_pending_jobs: {
    en: (p) => {
      const n = strings(p.userIds).length;
      return `${n >= 100 ? 'At least 100' : n} of the selected users already have ${int(p.limit)} unfinished jobs; wait for them to finish (or cancel them) before starting another for these users.`;
    },
    ru: (p) => {
      const n = strings(p.userIds).length;
      return `${n >= 100 ? 'Не менее 100' : n} из выбранных пользователей уже имеют по ${int(p.limit)} незавершенных заданий; дождитесь их завершения (или отмените их), прежде чем запускать для этих пользователей новое.`;
    },
  },
  partner_queue_full: {
    en: (p) =>
      `Your partner has ${int(p.jobs)} unfinished jobs for ${int(p.users)} users waiting for the workers, its share of the queue (at most ${int(p.maxJobs)} jobs or ${int(p.maxUsers)} users); retry in ${int(p.retryAfter)} s, once some of them have finished.`,
    ru: (p) =>
      `У вашего партнера ${int(p.jobs)} незавершенных заданий для ${int(p.users)} пользователей ждут обработки, это его доля очереди (не более ${int(p.maxJobs)} заданий или ${int(p.maxUsers)} пользователей); повторите через ${int(p.retryAfter)} с, когда часть из них завершится.`,
  },
  partner_concurrency_limit: {
    en: (p) =>
      p.busy
        ? `Your partner's share of this server's time for ${SHARED[str(p.resource)]?.en ?? 'requests of this kind'} (${int(p.busyPercent)} %) is used up; retry in ${int(p.retryAfter)} s.`
        : `Your partner already has ${int(p.limit)} ${SHARED[str(p.resource)]?.en ?? 'requests of this kind'} in progress on this server, its share; retry in ${int(p.retryAfter)} s, once one of them has ended.`,
    ru: (p) =>
      p.busy
        ? `Доля времени этого сервера для ${SHARED[str(p.resource)]?.ru ?? 'запросов этого вида'} вашего партнера исчерпана (${int(p.busyPercent)} %); повторите через ${int(p.retryAfter)} с.`
        : `У вашего партнера уже выполняется ${SHARED[str(p.resource)]?.ru ?? 'запросов этого вида'} на этом сервере: ${int(p.limit)}, это его доля; повторите через ${int(p.retryAfter)} с, когда один из них завершится.`,
  },
  authentication_throttled: {
    en: (p) =>
      p.revokedKey
        ? `This revoked API key was sent too often from this address; use the partner's current key (retry in ${int(p.retryAfter)} s).`
        : `Too many failed authentications from this address; retry in ${int(p.retryAfter)} s.`,
    ru: (p) =>
      p.revokedKey
        ? `Этот отозванный ключ API слишком часто отправлялся с этого адреса; используйте текущий ключ партнера (повторите через ${int(p.retryAfter)} с).`
        : `Слишком много неудачных попыток проверки подлинности с этого адреса; повторите через ${int(p.retryAfter)} с.`,
  },
  service_unavailable: {
    en: () => 'A backing service is temporarily unavailable; retry shortly.',
    ru: () => 'Вспомогательная служба временно недоступна; повторите чуть позже.',
  },
  group_name_taken: {
    en: (p) => `The customer already has a group named ${quote('en', str(p.name))}.`,
    ru: (p) => `У клиента уже есть группа с именем ${quote('ru', str(p.name))}.`,
  },
  group_type_fixed: {
    en: () => 'A static group cannot become dynamic (nor a dynamic one static); create a new group instead.',
    ru: () => 'Статическая группа не может стать динамической (и наоборот); создайте новую группу.',
  },
  group_has_licenses: {
    en: (p) =>
      p.membersHold
        ? `Members still hold, wait for or were refused ${quoteAll('en', strings(p.productIds))} through the group; delete it once they hold nothing through it.`
        : `The group still grants ${quoteAll('en', strings(p.productIds))}; set its licenses to [] before deleting it.`,
    ru: (p) =>
      p.membersHold
        ? `Участники группы еще получают через нее ${quoteAll('ru', strings(p.productIds))}, ожидают или получили отказ; удалите группу, когда через нее ничего не будет назначено.`
        : `Группа еще назначает ${quoteAll('ru', strings(p.productIds))}; перед удалением задайте для нее пустой список лицензий.`,
  },
  confirmation_required: {
    en: (p) =>
      `The change would remove licenses from ${number('en', int(p.usersLosing))} users; send confirmRemovals: ${int(p.usersLosing)} (or more) to go ahead.`,
    ru: (p) =>
      `Изменение отзовет лицензии у ${number('ru', int(p.usersLosing))} пользователей; чтобы продолжить, передайте confirmRemovals: ${int(p.usersLosing)} (или больше).`,
  },
  group_job: {
    en: () =>
      'This job processes a change of a group; it is not cancelled, retried or reverted: change the group, or reprocess it.',
    ru: () =>
      'Это задание обрабатывает изменение группы; его нельзя отменить, повторить или откатить: измените группу или обработайте ее повторно.',
  },
  group_is_dynamic: {
    en: () => "The group is dynamic: its members are the users its rule selects; change the rule or the users' fields.",
    ru: () =>
      'Группа динамическая: ее участники — пользователи, выбранные правилом; измените правило или свойства пользователей.',
  },
  overloaded: {
    en: (p) =>
      `${p.what === 'csv' ? 'Too many results downloads as CSV are being served at once' : 'Too many large selections are being answered at once'}; retry in ${int(p.retryAfter)} s.`,
    ru: (p) =>
      `${p.what === 'csv' ? 'Сейчас выгружается слишком много результатов в CSV' : 'Сейчас обрабатывается слишком много больших выборок'}; повторите через ${int(p.retryAfter)} с.`,
  },
  shutting_down: {
    en: (p) => `This server is shutting down; retry in ${int(p.retryAfter)} s.`,
    ru: (p) => `Этот сервер завершает работу; повторите через ${int(p.retryAfter)} с.`,
  },
  internal_error: {
    en: () => 'An unexpected error occurred.',
    ru: () => 'Произошла непредвиденная ошибка.',
  },
} satisfies Record<string, Texts>;

const TITLES: Record<Language, Record<number, string>> = {
  en: {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    409: 'Conflict',
    413: 'Content Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  },
  ru: {
    400: 'Неверный запрос',
    401: 'Требуется проверка подлинности',
    403: 'Доступ запрещен',
    404: 'Не найдено',
    405: 'Метод не разрешен',
    406: 'Неприемлемо',
    409: 'Конфликт',
    413: 'Слишком большой запрос',
    415: 'Неподдерживаемый тип данных',
    422: 'Необрабатываемые данные',
    429: 'Слишком много запросов',
    500: 'Внутренняя ошибка сервера',
    503: 'Служба недоступна',
  },
};

/** The HTTP status in words. */
export function problemTitle(status: number, language: Language): string {
  return (
    TITLES[language][status] ??
    (language === 'ru'
      ? status >= 500
        ? 'Ошибка сервера'
        : 'Ошибка клиента'
      : status >= 500
        ? 'Server Error'
        : 'Client Error')
  );
}

/** The problem's detail in the language, or undefined for a code the catalog does not word. */
export function problemDetail(code: string, language: Language, params: ProblemParams): string | undefined {
  const texts = (PROBLEM_TEXTS as Record<string, Texts>)[code];
  return texts?.[language](params, language);
}
