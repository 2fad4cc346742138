// The admin page: sign in, pick a project, and see and act on its connections, webhook sources and webhook endpoints.
// Everything rendered from the API goes through dom.js (text nodes only). The credential lives in `state.session` only.
import { Session, ApiError, all, enc } from '/admin/api.js';
import { h, byId, replace } from '/admin/dom.js';
import { connectionCard, connectionForm } from '/admin/connections.js';
import { sourceCard, endpointCard } from '/admin/webhooks.js';

const state = { session: null, projectId: null, templates: null };

export function notify(message, tone = 'error') {
  const el = byId('notice');
  el.textContent = message;
  el.className = tone === 'error' ? 'notice' : 'notice info';
  el.hidden = !message;
}

export function reportError(e) {
  notify(e instanceof ApiError ? e.message : `Something went wrong: ${e?.message ?? e}`);
}

const projectPath = () => `/v1/projects/${enc(state.projectId)}`;

/** What every card needs: the session, the project's path, and ways to reload and report. */
function context() {
  return { session: state.session, projectPath: projectPath(), reload: renderProject, notify, reportError, templates: loadTemplates };
}

async function loadTemplates() {
  state.templates ??= await all(state.session, '/v1/provider-templates');
  return state.templates;
}

async function signedIn(session) {
  state.session = session;
  state.templates = null;
  byId('api-key').value = '';
  byId('password').value = '';
  byId('sign-in').hidden = true;
  byId('who').hidden = false;
  byId('dashboard').hidden = false;
  byId('who-text').textContent = session.kind === 'user' ? 'Signed in' : 'API key';
  if (session.kind === 'user') await loadOrganizations();
  await loadProjects();
}

async function loadOrganizations() {
  const me = await state.session.get('/v1/me');
  byId('who-text').textContent = me.email;
  const select = byId('org');
  replace(select, ...me.organizations.map((o) =>
    h('option', { value: o.id, selected: o.id === state.session.organizationId }, `${o.id} (${o.role}${o.personal ? ', personal' : ''})`)));
  byId('org-picker').hidden = me.organizations.length < 2;
}

async function loadProjects() {
  const projects = await all(state.session, '/v1/projects');
  const select = byId('project');
  replace(select, ...projects.map((p) => h('option', { value: p.id }, `${p.name} (${p.id})`)));
  const keep = projects.find((p) => p.id === state.projectId);
  state.projectId = keep ? keep.id : projects[0]?.id ?? null;
  select.value = state.projectId ?? '';
  byId('empty-projects').hidden = projects.length > 0;
  for (const id of ['connections', 'sources', 'endpoints']) byId(id).hidden = projects.length === 0;
  await renderProject();
}

/** Renders the chosen project's three panels; a panel the credential may not read says so instead. */
export async function renderProject() {
  if (!state.projectId) return;
  const ctx = context();
  const forProject = state.projectId;
  const [connections, sources, endpoints] = await Promise.allSettled([
    all(state.session, `${ctx.projectPath}/connections`),
    all(state.session, `${ctx.projectPath}/webhook-sources`),
    all(state.session, `${ctx.projectPath}/webhook-endpoints`),
  ]);
  if (forProject !== state.projectId) return; // another project was picked meanwhile
  await Promise.all([
    fill('connection-list', connections, 'No connections yet.', (c) => connectionCard(ctx, c)),
    fill('source-list', sources, 'No webhook sources.', (s) => sourceCard(ctx, s)),
    fill('endpoint-list', endpoints, 'No webhook endpoints.', (e) => endpointCard(ctx, e)),
  ]);
}

async function fill(listId, outcome, emptyText, card) {
  const list = byId(listId);
  if (outcome.status === 'rejected') {
    const e = outcome.reason;
    replace(list, h('p', { class: 'hint' }, e instanceof ApiError ? e.message : String(e)));
    return;
  }
  if (outcome.value.length === 0) {
    replace(list, h('p', { class: 'hint' }, emptyText));
    return;
  }
  const cards = await Promise.all(outcome.value.map(card));
  replace(list, ...cards);
}

function signOut() {
  const session = state.session;
  state.session = null;
  state.projectId = null;
  state.templates = null;
  for (const id of ['connection-list', 'source-list', 'endpoint-list', 'connection-form-slot', 'project', 'org']) byId(id).replaceChildren();
  byId('dashboard').hidden = true;
  byId('who').hidden = true;
  byId('sign-in').hidden = false;
  notify('');
  session?.signOut();
}

function wire() {
  byId('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = byId('api-key').value.trim();
    if (!key) return;
    notify('');
    try {
      const session = new Session('key', key);
      await session.get('/v1/projects?per_page=1'); // refused at once if the key is not valid
      await signedIn(session);
    } catch (e) {
      reportError(e);
    }
  });
  byId('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    notify('');
    try {
      await signedIn(await Session.login(byId('email').value.trim(), byId('password').value));
    } catch (e) {
      reportError(e);
    }
  });
  byId('project').addEventListener('change', async (event) => {
    state.projectId = event.target.value;
    byId('connection-form-slot').replaceChildren();
    try { await renderProject(); } catch (e) { reportError(e); }
  });
  byId('org').addEventListener('change', async (event) => {
    try {
      await state.session.refresh(event.target.value);
      state.projectId = null;
      await loadProjects();
    } catch (e) { reportError(e); }
  });
  byId('reload').addEventListener('click', async () => {
    notify('');
    try { await renderProject(); } catch (e) { reportError(e); }
  });
  byId('sign-out').addEventListener('click', signOut);
  byId('new-connection').addEventListener('click', async () => {
    try {
      const slot = byId('connection-form-slot');
      replace(slot, await connectionForm(context(), null, () => slot.replaceChildren()));
    } catch (e) { reportError(e); }
  });
  document.body.dataset.ready = 'true';
}

wire();
