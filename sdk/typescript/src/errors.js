/** Every failure the API answers in its one error shape: {"error":{"type","code","message","requestId"}}. */
export class CrowNestError extends Error {
  constructor(message, { status = 0, code = 'unknown', type = undefined, requestId = undefined, body = undefined, retryAfterMs = undefined } = {}) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.type = type;
    this.requestId = requestId;
    this.body = body;
    this.retryAfterMs = retryAfterMs;
  }
}
export class BadRequestError extends CrowNestError {}
export class AuthenticationError extends CrowNestError {}
export class PaymentRequiredError extends CrowNestError {}
export class PermissionDeniedError extends CrowNestError {}
export class NotFoundError extends CrowNestError {}
export class ConflictError extends CrowNestError {}
export class GoneError extends CrowNestError {}
export class RateLimitError extends CrowNestError {}
export class UnavailableError extends CrowNestError {}
/** The request never got an answer (connection refused, reset, aborted). */
export class ConnectionError extends CrowNestError {}
/** A command's output stream broke off (an SSE `error` event, or the connection dropped for good). */
export class StreamError extends CrowNestError {}

const BY_STATUS = {
  400: BadRequestError, 401: AuthenticationError, 402: PaymentRequiredError, 403: PermissionDeniedError,
  404: NotFoundError, 409: ConflictError, 410: GoneError, 422: BadRequestError, 429: RateLimitError, 503: UnavailableError,
};

/** The error class for an answer's status and body (the body parsed, or raw text). */
export function errorFor(status, body, headers) {
  const e = body && typeof body === 'object' && body.error ? body.error : {};
  const Cls = BY_STATUS[status] ?? CrowNestError;
  const message = e.message ?? (typeof body === 'string' && body ? body : `HTTP ${status}`);
  return new Cls(message, {
    status,
    code: e.code ?? `http_${status}`,
    type: e.type,
    requestId: e.requestId ?? headers?.get?.('x-request-id') ?? undefined,
    body,
    retryAfterMs: retryAfterMs(headers),
  });
}

/** Retry-After in milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers) {
  const v = headers?.get?.('retry-after');
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}
