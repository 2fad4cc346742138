// Webhook sources (their URL and verification stats) and webhook endpoints (stats, recent attempts, replay).
import { h, meta, badge, busy, time, replace } from '/admin/dom.js';
import { enc } from '/admin/api.js';

const RECENT_ATTEMPTS = 10;

/** A card for one inbound webhook source: the URL to give the provider, and what arrived in the last 24 hours. */
export async function sourceCard(ctx, source) {
  const path = `${ctx.projectPath}/webhook-sources/${enc(source.id)}`;
  const stats = await ctx.session.get(`${path}/stats`).catch((e) => ({ error: e }));
  const url = h('code', { dataset: { role: 'source-url' } }, source.url);
  const copy = h('button', { type: 'button' }, 'Copy URL');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(source.url);
      ctx.notify('The URL is on the clipboard.', 'info');
    } catch {
      ctx.notify('The browser refused the clipboard: select the URL and copy it.');
    }
  });
  return h('article', { class: 'card', dataset: { sourceId: source.id } },
    h('div', { class: 'item-head' }, h('h3', {}, source.name), badge(source.scheme, 'neutral', 'scheme'),
      source.enabled ? badge('enabled', 'ok', 'enabled') : badge('disabled', 'neutral', 'enabled')),
    source.description ? h('p', { class: 'hint' }, source.description) : null,
    h('p', {}, url, ' ', copy),
    stats.error
      ? h('p', { class: 'result bad' }, stats.error.message)
      : meta([
        ['Accepted (24 h)', String(stats.accepted)],
        ['Duplicates', String(stats.duplicate)],
        ['Bad signature', String(stats.bad_signature)],
        ['Stale', String(stats.stale)],
        ['Oversized', String(stats.oversized)],
        ['Malformed', String(stats.malformed)],
        ['Last accepted', time(stats.last_accepted_at)],
        ['Signing keys', String(source.keys?.length ?? 0)],
      ]));
}

/** A card for one outbound endpoint: its stats, its most recent attempts and a replay button for each attempt's message. */
export async function endpointCard(ctx, endpoint) {
  const path = `${ctx.projectPath}/webhook-endpoints/${enc(endpoint.id)}`;
  const card = h('article', { class: 'card', dataset: { endpointId: endpoint.id } });
  const result = h('p', { class: 'result', dataset: { role: 'replay-result' } });

  async function render() {
    const [stats, attempts] = await Promise.all([
      ctx.session.get(`${path}/stats`).catch((e) => ({ error: e })),
      ctx.session.get(`${path}/attempts?per_page=${RECENT_ATTEMPTS}`).catch((e) => ({ error: e })),
    ]);
    const refresh = h('button', { type: 'button', dataset: { action: 'refresh' } }, 'Refresh');
    refresh.addEventListener('click', busy(refresh, render));
    replace(card, 
      h('div', { class: 'item-head' }, h('h3', { class: 'mono' }, endpoint.url),
        endpoint.enabled ? badge('enabled', 'ok', 'enabled') : badge(`disabled${endpoint.disabled_reason ? `: ${endpoint.disabled_reason}` : ''}`, 'bad', 'enabled')),
      endpoint.description ? h('p', { class: 'hint' }, endpoint.description) : null,
      h('p', { class: 'hint' }, `Event types: ${endpoint.event_types?.length ? endpoint.event_types.join(', ') : 'all'}`),
      stats.error
        ? h('p', { class: 'result bad' }, stats.error.message)
        : meta([
          ['Delivered (24 h)', String(stats.delivered)],
          ['Retrying', String(stats.retrying)],
          ['Failed', String(stats.failed)],
          ['Last delivered', time(stats.last_delivered_at)],
        ]),
      attempts.error ? h('p', { class: 'result bad' }, attempts.error.message) : attemptsTable(ctx, endpoint, attempts.data ?? [], result),
      h('div', { class: 'actions' }, refresh),
      result);
  }

  await render();
  return card;
}

function attemptsTable(ctx, endpoint, attempts, result) {
  if (attempts.length === 0) return h('p', { class: 'hint' }, 'No attempts in the last 24 hours.');
  return h('table', {},
    h('thead', {}, h('tr', {}, ['Time', 'Message', 'Attempt', 'Status', 'Duration', 'Outcome', ''].map((c) => h('th', {}, c)))),
    h('tbody', {}, attempts.map((a) => {
      const replay = h('button', { type: 'button', dataset: { action: 'replay', messageId: a.message_id } }, 'Replay');
      replay.addEventListener('click', busy(replay, async () => {
        try {
          const r = await ctx.session.post(`${ctx.projectPath}/messages/${enc(a.message_id)}/replay`, { endpoint_id: endpoint.id });
          result.className = 'result ok';
          result.textContent = `Replay queued: message ${r.id}, ${r.count} ${r.count === 1 ? 'delivery' : 'deliveries'}.`;
        } catch (e) {
          result.className = 'result bad';
          result.textContent = e.message;
        }
      }));
      return h('tr', { dataset: { messageId: a.message_id } },
        h('td', {}, time(a.at)),
        h('td', { class: 'mono' }, a.message_id),
        h('td', {}, String(a.number)),
        h('td', {}, a.status_code == null ? '—' : String(a.status_code)),
        h('td', {}, `${a.duration_ms} ms`),
        h('td', {}, a.succeeded ? badge('delivered', 'ok', 'attempt') : badge(a.error ?? 'failed', 'bad', 'attempt')),
        h('td', {}, replay));
    })));
}
