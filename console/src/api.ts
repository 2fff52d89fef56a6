// The one way the console talks to the API: the credential from session storage in the right header,
// and every non-2xx answer turned into an ApiError carrying the API's code, message and requestId.

const STORAGE = 'crownest.credential';

export function credential(): string | null {
  return sessionStorage.getItem(STORAGE);
}

export function setCredential(value: string | null): void {
  if (value) sessionStorage.setItem(STORAGE, value);
  else sessionStorage.removeItem(STORAGE);
}

/** API keys go in x-api-key; admin and operator session tokens are bearer tokens. */
export function isApiKey(value: string): boolean {
  return value.startsWith('cn_live_');
}

export function authHeaders(): Record<string, string> {
  const c = credential();
  if (!c) return {};
  return isApiKey(c) ? { 'x-api-key': c } : { authorization: `Bearer ${c}` };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

export async function errorOf(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || 'request failed';
  let requestId = res.headers.get('x-request-id');
  try {
    const body = await res.json();
    if (body?.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      requestId = body.error.requestId ?? requestId;
    }
  } catch {
    /* not JSON: keep the status line */
  }
  return new ApiError(res.status, code, message, requestId);
}

export type Query = Record<string, string | number | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

export async function raw(method: string, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(path, { ...init, method, headers: { ...authHeaders(), ...(init.headers ?? {}) } });
  if (!res.ok) throw await errorOf(res);
  return res;
}

export async function api<T = any>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const init: RequestInit = {};
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await raw(method, withQuery(path, query), init);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T = any>(path: string, query?: Query) => api<T>('GET', path, undefined, query);

/** Saves a response body as a file through a temporary object URL (never a URL with the credential). */
export async function download(path: string, filename: string, accept?: string): Promise<void> {
  const res = await raw('GET', path, accept ? { headers: { accept } } : {});
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A page of a cursor-paged list, as every list route of the API answers. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Who the credential is (GET /v1/me). */
export interface Me {
  kind: 'api_key' | 'tenant_admin' | 'operator';
  tenantId: string | null;
  role: string | null;
  keyId: string | null;
  projectId: string | null;
  scopes: string[];
}
