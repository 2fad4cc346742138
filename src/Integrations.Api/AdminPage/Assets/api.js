// The hub's JSON API, called with a credential held only by this object, in this tab's memory: never written to web
// storage, a cookie or the URL. Reloading the page forgets it.

export class ApiError extends Error {
  constructor(status, problem) {
    const code = problem?.code ? ` (${problem.code})` : '';
    super(`${problem?.title ?? 'Request failed'}: ${problem?.detail ?? `HTTP ${status}`}${code}`);
    this.status = status;
    this.problem = problem;
  }
}

async function send(method, path, body, bearer) {
  const headers = { Accept: 'application/json' };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // No cookies: the API authenticates by the bearer credential alone.
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** An API key, or a person's access token (with its refresh token, to switch organization or renew it). */
export class Session {
  #token;
  #refreshToken;

  constructor(kind, token, refreshToken = null, organizationId = null) {
    this.kind = kind;
    this.organizationId = organizationId;
    this.#token = token;
    this.#refreshToken = refreshToken;
  }

  static async login(email, password) {
    const t = await send('POST', '/v1/auth/login', { email, password });
    return new Session('user', t.access_token, t.refresh_token, t.organization_id);
  }

  /** Trades the refresh token for a new pair, optionally for another organization of the person. */
  async refresh(organizationId) {
    if (this.kind !== 'user' || !this.#refreshToken) throw new Error('Only a signed-in person can switch organization.');
    const body = organizationId ? { refresh_token: this.#refreshToken, organization_id: organizationId } : { refresh_token: this.#refreshToken };
    const t = await send('POST', '/v1/auth/refresh', body);
    this.#token = t.access_token;
    this.#refreshToken = t.refresh_token;
    this.organizationId = t.organization_id;
  }

  async request(method, path, body) {
    try {
      return await send(method, path, body, this.#token);
    } catch (e) {
      // An expired access token is renewed once with the refresh token; an API key has nothing to renew.
      if (e instanceof ApiError && e.status === 401 && this.kind === 'user' && this.#refreshToken) {
        await this.refresh(this.organizationId);
        return send(method, path, body, this.#token);
      }
      throw e;
    }
  }

  get(path) { return this.request('GET', path); }
  post(path, body = {}) { return this.request('POST', path, body); }
  patch(path, body) { return this.request('PATCH', path, body); }

  /** Ends the session (a person's refresh token is revoked) and forgets the credential. */
  async signOut() {
    const refreshToken = this.#refreshToken;
    this.#token = null;
    this.#refreshToken = null;
    if (this.kind === 'user' && refreshToken) {
      try { await send('POST', '/v1/auth/logout', { refresh_token: refreshToken }); } catch { /* already gone */ }
    }
  }
}

/** Every item of a list route (pages of 100). */
export async function all(session, path) {
  const items = [];
  const separator = path.includes('?') ? '&' : '?';
  for (let page = 1; page <= 50; page++) {
    const r = await session.get(`${path}${separator}page=${page}&per_page=100`);
    items.push(...(r?.data ?? []));
    if (!r?.pagination || page >= r.pagination.total_pages) break;
  }
  return items;
}

export const enc = encodeURIComponent;
