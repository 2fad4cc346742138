// Connections: a card per connection (status and test badges, times, Test / Connect / Edit), and the create/edit form
// built from the provider templates.
import { h, meta, badge, busy, time, append, replace } from '/admin/dom.js';
import { all, enc, ApiError } from '/admin/api.js';

const STATIC_TYPES = { api_key: ['api_key'], bearer: ['token'], basic: ['username', 'password'] };
const OAUTH_TYPES = ['oauth2_authorization_code', 'oauth2_client_credentials', 'oauth2_device', 'oauth2_password', 'oauth2_generic'];
const BROWSER_FLOW = new Set(['oauth2_authorization_code', 'oauth2_3leg']);
const STATUS_TONE = { active: 'ok', pending: 'neutral', disabled: 'neutral', refresh_failing: 'warn', scopes_insufficient: 'warn' };
const CONNECT_POLL_MS = 1000;
const CONNECT_TIMEOUT_MS = 10 * 60 * 1000;

const statusBadge = (status) => badge(status, STATUS_TONE[status] ?? 'bad', 'status');

function testBadge(s) {
  if (!s.last_tested_at) return badge('untested', 'neutral', 'test');
  return s.last_test_succeeded === false ? badge('test failed', 'bad', 'test') : badge('test passed', 'ok', 'test');
}

/** A card for one connection, with its live status (…/status). */
export async function connectionCard(ctx, connection) {
  const path = `${ctx.projectPath}/connections/${enc(connection.id)}`;
  const card = h('article', { class: 'card', dataset: { connectionId: connection.id } });
  const result = h('p', { class: 'result', dataset: { role: 'test-result' } });

  async function render(status) {
    const s = status ?? await ctx.session.get(`${path}/status`).catch((e) => ({ status: connection.status, error: e }));
    const buttons = [];
    const test = h('button', { type: 'button', dataset: { action: 'test' } }, 'Test');
    test.addEventListener('click', busy(test, async () => {
      try {
        const r = await ctx.session.post(`${path}/test`);
        result.className = `result ${r.success ? 'ok' : 'bad'}`;
        result.textContent = `${r.success ? 'Test passed' : 'Test failed'}: ${r.status_code ?? '—'} in ${r.response_time_ms ?? '—'} ms${r.message ? ` — ${r.message}` : ''}`;
      } catch (e) {
        result.className = 'result bad';
        result.textContent = e.message;
      }
      await render();
    }));
    buttons.push(test);
    if (BROWSER_FLOW.has(connection.type)) {
      const connect = h('button', { type: 'button', class: 'primary', dataset: { action: 'connect' } }, s.status === 'active' ? 'Reconnect' : 'Connect');
      connect.addEventListener('click', (event) => connectInPopup(ctx, path, s, connect, result, render, event));
      buttons.push(connect);
    }
    const edit = h('button', { type: 'button', dataset: { action: 'edit' } }, 'Edit');
    edit.addEventListener('click', async () => {
      try {
        const full = await ctx.session.get(path);
        replace(card, await connectionForm(ctx, full, () => ctx.reload()));
      } catch (e) { ctx.reportError(e); }
    });
    buttons.push(edit);

    replace(card, 
      h('div', { class: 'item-head' },
        h('h3', {}, connection.name),
        statusBadge(s.status ?? connection.status),
        testBadge(s),
        s.enabled === false ? badge('disabled', 'neutral', 'enabled') : null,
        h('span', { class: 'hint mono' }, connection.type)),
      connection.description ? h('p', { class: 'hint', dataset: { role: 'description' } }, connection.description) : null,
      connection.base_url ? h('p', { class: 'hint mono' }, connection.base_url) : null,
      meta([
        ['Last used', time(s.last_used_at)],
        ['Last refreshed', time(s.last_refreshed_at)],
        ['Last tested', time(s.last_tested_at)],
        ['Token expires', s.expires_at ? time(s.expires_at) : '—'],
        ['Account', s.account ? (s.account.email ?? s.account.name ?? s.account.subject) : '—'],
        ['Calls (24 h)', s.last24h ? `${s.last24h.calls} (${s.last24h.errors} errors)` : '—'],
      ]),
      s.status_reason ? h('p', { class: 'hint' }, `Reason: ${s.status_reason}`) : null,
      s.last_error ? h('p', { class: 'result bad' }, `Last error: ${s.last_error}`) : null,
      s.error ? h('p', { class: 'result bad' }, s.error.message) : null,
      h('div', { class: 'actions' }, buttons),
      result);
  }

  await render();
  return card;
}

/**
 * Runs the authorization-code flow in a popup. The window is opened in the click itself (a popup opened after an await is
 * blocked), then sent to the single-use start link; the page polls the connection's status until it changes, the
 * popup is closed, or ten minutes pass.
 */
async function connectInPopup(ctx, path, before, button, result, render, event) {
  event.preventDefault();
  const popup = window.open('about:blank', 'ihub-connect', 'popup,width=560,height=700');
  if (!popup) {
    ctx.notify('The browser blocked the sign-in window: allow popups for this page and press Connect again.');
    return;
  }
  // The provider's pages must not reach this window (window.opener could navigate it elsewhere): cut the link while the
  // popup is still our own about:blank. This window keeps its handle, to close the popup and see when it is closed.
  popup.opener = null;
  button.disabled = true;
  result.className = 'result';
  result.textContent = 'Waiting for the provider…';
  try {
    const r = await ctx.session.post(`${path}/authorize`, {});
    const start = new URL(r.start_url, window.location.href);
    if (start.protocol !== 'https:' && start.protocol !== 'http:') throw new Error('The hub answered a start link that is not http(s).');
    popup.location.href = start.href;
    const deadline = Date.now() + CONNECT_TIMEOUT_MS;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, CONNECT_POLL_MS));
      const s = await ctx.session.get(`${path}/status`);
      const changed = s.status !== before.status || s.authorized_by !== before.authorized_by || s.last_refreshed_at !== before.last_refreshed_at
        || s.expires_at !== before.expires_at;
      if (changed && s.status !== 'pending') {
        if (!popup.closed) popup.close();
        result.className = `result ${s.status === 'active' ? 'ok' : 'bad'}`;
        result.textContent = s.status === 'active' ? 'Connected.' : `Not connected: ${s.status}`;
        const message = result.textContent;
        await render(s);
        result.textContent = message;
        return;
      }
      if (popup.closed || Date.now() > deadline) {
        result.className = 'result bad';
        result.textContent = 'The sign-in window was closed before the connection was authorized.';
        await render(s);
        return;
      }
    }
  } catch (e) {
    if (!popup.closed) popup.close();
    result.className = 'result bad';
    result.textContent = e.message;
  } finally {
    button.disabled = false;
  }
}

function field(label, input, hint) {
  return h('label', {}, label, input, hint ? h('span', { class: 'hint' }, hint) : null);
}

const input = (name, value = '', extra = {}) => h('input', { name, value: value ?? '', ...extra });

/**
 * The create form (existing null) or the edit form of a connection. OAuth connections pick one of the project's providers
 * or create a new one from a provider template (its parameters and default scopes shape the form).
 */
export async function connectionForm(ctx, existing, onDone) {
  const editing = existing !== null;
  const form = h('form', { class: 'card', dataset: { form: editing ? 'edit-connection' : 'new-connection' } });
  const error = h('p', { class: 'result bad', role: 'alert' });
  const name = input('name', existing?.name, { required: true, maxlength: '128', pattern: '[A-Za-z0-9._\\-]+' });
  const description = input('description', existing?.description);
  const baseUrl = input('base_url', existing?.base_url, { type: 'url', placeholder: 'https://api.example.com' });
  const scopes = input('scopes', existing?.scopes?.join(' '), { placeholder: 'space-separated' });
  const testMethod = h('select', { name: 'test_method' }, ['GET', 'HEAD', 'POST'].map((m) => h('option', { value: m, selected: (existing?.test_request?.method ?? 'GET') === m }, m)));
  const testPath = input('test_path', existing?.test_request?.path, { placeholder: '/' });
  const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: existing?.enabled ?? true });

  const type = h('select', { name: 'type', disabled: editing },
    [...Object.keys(STATIC_TYPES), ...OAUTH_TYPES].map((t) => h('option', { value: t, selected: (existing?.type ?? 'bearer') === t }, t)));
  const typeSpecific = h('div');

  // OAuth: the project's providers, then the templates a new provider can be made from.
  let providers = [];
  let templates = [];
  if (!editing) {
    [providers, templates] = await Promise.all([
      all(ctx.session, `${ctx.projectPath}/providers`).catch(() => []),
      ctx.templates().catch(() => []),
    ]);
  }
  const providerSelect = h('select', { name: 'provider' },
    h('optgroup', { label: 'Providers of this project' }, providers.map((p) => h('option', { value: `provider:${p.id}` }, `${p.name} (${p.template ?? p.issuer ?? 'custom'})`))),
    h('optgroup', { label: 'New provider from a template' }, templates.map((t) => h('option', { value: `template:${t.id}` }, t.display_name))));
  const templateFields = h('div');
  const clientId = input('client_id', '', { autocomplete: 'off' });
  const clientSecret = input('client_secret', '', { type: 'password', autocomplete: 'new-password' });

  function chosenTemplate() {
    const v = providerSelect.value;
    return v.startsWith('template:') ? templates.find((t) => `template:${t.id}` === v) : null;
  }

  function renderProvider() {
    const template = chosenTemplate();
    const provider = providers.find((p) => `provider:${p.id}` === providerSelect.value);
    scopes.value = (template?.default_scopes ?? provider?.default_scopes ?? []).join(' ');
    if (!template) {
      templateFields.replaceChildren();
      return;
    }
    replace(templateFields, 
      h('p', { class: 'hint' }, template.notes ?? `Register ${window.location.origin}/v1/oauth/callback as the redirect URI at ${template.display_name}.`),
      field('Client id', clientId),
      field('Client secret', clientSecret, 'Stored in the vault; never shown again.'),
      template.parameters.map((p) => field(p.name, input(`param:${p.name}`, p.default ?? '', { required: true, pattern: p.pattern }), p.description)));
  }
  providerSelect.addEventListener('change', renderProvider);

  const secretInputs = {};
  function renderType() {
    const t = type.value;
    if (editing) {
      replace(typeSpecific, OAUTH_TYPES.includes(t) || BROWSER_FLOW.has(t) ? field('Scopes', scopes) : null);
      return;
    }
    if (STATIC_TYPES[t]) {
      const rows = STATIC_TYPES[t].map((role) => {
        secretInputs[role] = {
          name: input(`secret:${role}`, '', { required: true, placeholder: 'vault secret name' }),
          value: input(`value:${role}`, '', { type: 'password', autocomplete: 'new-password', placeholder: 'leave empty to use an existing secret' }),
        };
        return h('fieldset', {}, h('legend', {}, role), field('Secret name', secretInputs[role].name), field('Value (creates the secret)', secretInputs[role].value));
      });
      const placement = t === 'api_key'
        ? [field('Send the key in', h('select', { name: 'key_in' }, h('option', { value: 'header' }, 'a header'), h('option', { value: 'query' }, 'the query'))),
          field('Header or parameter name', input('key_name', 'X-API-Key', { required: true }))]
        : [];
      replace(typeSpecific, ...rows, ...placement);
    } else {
      replace(typeSpecific, field('Provider', providerSelect), templateFields, field('Scopes', scopes));
      renderProvider();
    }
  }
  type.addEventListener('change', renderType);
  renderType();

  async function createProviderIfNeeded() {
    const template = chosenTemplate();
    if (!template) return providerSelect.value.slice('provider:'.length);
    const parameters = Object.fromEntries(template.parameters.map((p) => [p.name, form.elements[`param:${p.name}`].value]));
    const body = { name: `${template.id}-${name.value}`.slice(0, 64), template: template.id, client_id: clientId.value.trim() };
    if (clientSecret.value) body.client_secret = clientSecret.value;
    if (template.parameters.length) body.template_parameters = parameters;
    const created = await ctx.session.post(`${ctx.projectPath}/providers`, body);
    return created.id;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const t = type.value;
      const body = {
        name: name.value.trim(),
        description: description.value.trim() || null,
        base_url: baseUrl.value.trim() || null,
        enabled: enabled.checked,
        test_request: testPath.value.trim() ? { method: testMethod.value, path: testPath.value.trim() } : null,
      };
      const scopeList = scopes.value.split(/\s+/).filter(Boolean);
      if (editing) {
        if (body.test_request === null) delete body.test_request;
        if (OAUTH_TYPES.includes(t) || BROWSER_FLOW.has(t)) body.scopes = scopeList;
        await ctx.session.patch(`${ctx.projectPath}/connections/${enc(existing.id)}`, body);
      } else {
        body.type = t;
        for (const [k, v] of Object.entries(body)) if (v === null) delete body[k];
        if (STATIC_TYPES[t]) {
          body.secret_refs = {};
          for (const [role, inputs] of Object.entries(secretInputs)) {
            if (!STATIC_TYPES[t].includes(role)) continue;
            const secretName = inputs.name.value.trim();
            if (inputs.value.value) {
              await ctx.session.post(`${ctx.projectPath}/secrets`, { name: secretName, value: inputs.value.value, auth_type: t === 'basic' ? 'basic' : t });
              inputs.value.value = '';
            }
            body.secret_refs[role] = secretName;
          }
          if (t === 'api_key') body.api_key = { in: form.elements.key_in.value, name: form.elements.key_name.value.trim() };
        } else {
          body.provider_id = await createProviderIfNeeded();
          if (scopeList.length) body.scopes = scopeList;
        }
        await ctx.session.post(`${ctx.projectPath}/connections`, body);
      }
      onDone();
      await ctx.reload();
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.message : String(e?.message ?? e);
    } finally {
      submit.disabled = false;
    }
  });

  const cancel = h('button', { type: 'button' }, 'Cancel');
  cancel.addEventListener('click', () => (editing ? ctx.reload() : onDone()));
  return append(form, [
    h('h3', {}, editing ? `Edit ${existing.name}` : 'New connection'),
    h('div', { class: 'form-grid' },
      h('div', {}, field('Name', name), field('Type', type), field('Base URL', baseUrl), field('Description', description)),
      h('div', {}, typeSpecific, field('Test request method', testMethod), field('Test request path', testPath, 'Below the base URL, e.g. /user'),
        h('label', {}, enabled, ' Enabled'))),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, editing ? 'Save' : 'Create'), cancel),
  ]);
}
