// Shoal console: a view over the control endpoints (/_shoal/...) and the AWS
// actions. It polls GET /_shoal/overview once a second (and, for the view
// open, the shards, the record tail, the fault rules) and draws what they
// say; every figure and rate comes from the server. Every element is built
// with textContent and attributes, never from markup, so names, bodies and
// records are shown as text whatever they contain.
'use strict';

(() => {
  const POLL_MS = 1000;
  const HISTORY_MS = 5 * 60 * 1000; // what the charts show
  const PEEK_LIMIT = 50;
  const TAIL_LIMIT = 25;

  // ---------------------------------------------------------------- DOM --
  // h('div', {class: 'x', onclick: f}, child, 'text', [more]): an element;
  // strings become text nodes, null and false are skipped.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') {
        el.addEventListener(name.slice(2), value);
      } else if (name === 'class') {
        el.className = value;
      } else if (name === 'text') {
        el.textContent = value;
      } else if (name === 'style') {
        for (const [k, v] of Object.entries(value)) el.style.setProperty(k, v);
      } else {
        el.setAttribute(name, value === true ? '' : String(value));
      }
    }
    append(el, children);
    return el;
  }
  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }
  // Replaces an element's children (arrays flattened, null and false skipped).
  function fill(el, ...children) {
    el.replaceChildren();
    return append(el, children);
  }
  const $ = (id) => document.getElementById(id);

  // --------------------------------------------------------- formatting --
  const int = (n) => (n === undefined || n === null ? '–' : Number(n).toLocaleString('en-US'));
  function rate(n) {
    if (!n) return '0';
    if (n >= 100) return Math.round(n).toLocaleString('en-US');
    // Below 10, two decimals at most: a chart's 0.25 grid line reads 0.25, not 0.3.
    return n >= 10 ? n.toFixed(1) : String(Number(n.toFixed(2)));
  }
  function bytes(n) {
    if (n < 1024) return `${n} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let i = -1;
    do { v /= 1024; i += 1; } while (v >= 1024 && i < units.length - 1);
    return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
  }
  function duration(seconds) {
    const s = Math.floor(seconds);
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
    return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
  }
  const plural = (n, word) => `${int(n)} ${word}${n === 1 ? '' : 's'}`;
  const iso = (ms) => new Date(ms).toISOString();
  const timeOf = (ms) => iso(ms).slice(11, 23);

  // ------------------------------------------------------------- server --
  async function readError(response) {
    const text = await response.text();
    try {
      const body = JSON.parse(text);
      if (body.error) return `${body.error.code}: ${body.error.message}`;
      if (body.__type) return `${String(body.__type).split('#').pop()}: ${body.message || body.Message || ''}`;
    } catch (_) { /* not JSON */ }
    return `HTTP ${response.status} ${text.slice(0, 200)}`;
  }

  // A control endpoint: GET with query parameters, or another method with a
  // JSON body.
  async function control(method, path, params, body) {
    const query = params ? `?${new URLSearchParams(params)}` : '';
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`/_shoal${path}${query}`, init);
    if (!response.ok) throw new Error(await readError(response));
    return response.json();
  }

  // An AWS action, sent as an SDK sends it (AWS JSON). The credential scope
  // names the account (a 12-digit access key is the account) and the region;
  // Shoal does not check signatures.
  async function aws(service, action, input, account, region) {
    const sqs = service === 'sqs';
    const response = await fetch('/', {
      method: 'POST',
      headers: {
        'Content-Type': sqs ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
        'X-Amz-Target': `${sqs ? 'AmazonSQS' : 'Kinesis_20131202'}.${action}`,
        Authorization: `AWS4-HMAC-SHA256 Credential=${account}/19700101/${region}/${service}/aws4_request, ` +
          'SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(input),
    });
    if (!response.ok) throw new Error(await readError(response));
    return response.json();
  }

  // ------------------------------------------------------------- toasts --
  function toast(message, error) {
    const el = h('div', { class: error ? 'toast error' : 'toast', role: error ? 'alert' : 'status' }, message);
    $('toasts').append(el);
    setTimeout(() => el.remove(), error ? 8000 : 4000);
  }
  // Runs an action from a button: disables it meanwhile, reports failure.
  async function act(button, work, done) {
    if (button) button.disabled = true;
    try {
      const result = await work();
      if (done) done(result);
      poll();
      return result;
    } catch (e) {
      toast(e.message, true);
      return undefined;
    } finally {
      if (button) button.disabled = false;
    }
  }

  // Asks before something that cannot be undone; resolves true on OK.
  function confirmBox(title, body, okText) {
    return new Promise((resolve) => {
      $('modal-title').textContent = title;
      fill($('modal-body'), ...[body].flat().map((b) => (b instanceof Node ? b : h('p', {}, b))));
      $('modal-ok').textContent = okText;
      $('modal').hidden = false;
      $('modal-ok').focus();
      const finish = (answer) => {
        $('modal').hidden = true;
        $('modal-ok').onclick = null;
        $('modal-cancel').onclick = null;
        resolve(answer);
      };
      $('modal-ok').onclick = () => finish(true);
      $('modal-cancel').onclick = () => finish(false);
    });
  }

  // ------------------------------------------------------------- charts --
  // Time series kept by the page for its charts: one point per poll, the
  // server's figures as they came, for HISTORY_MS.
  const history = new Map();
  function record(key, t, point) {
    let series = history.get(key);
    if (!series) history.set(key, (series = []));
    series.push({ t, ...point });
    while (series.length && series[0].t < t - HISTORY_MS) series.shift();
  }

  // The step of 4 grid lines that reach v: 1, 2, 2.5 or 5 times a power of
  // ten (whole numbers only for counts).
  function niceStep(v, whole) {
    if (v <= 0) return whole ? 1 : 0.25;
    const x = v / 4;
    const p = 10 ** Math.floor(Math.log10(x));
    for (const m of [1, 2, 2.5, 5, 10]) {
      const step = m * p;
      if (step >= x && (!whole || Number.isInteger(step))) return Math.max(step, whole ? 1 : 0);
    }
    return 10 * p;
  }

  // A line chart on a canvas: lines = [{key, label, color}], points from
  // history[seriesKey]; the x axis is the last HISTORY_MS. `whole`: the
  // figures are counts, so the grid lines are whole numbers.
  function chart(title, lines, format, whole) {
    const canvas = h('canvas', { class: 'chart', role: 'img', 'aria-label': title });
    const legend = h('div', { class: 'legend' },
      lines.map((l) => h('span', { style: { '--swatch': l.color }, 'data-line': l.key }, l.label)));
    const box = h('div', { class: 'panel' }, h('h2', {}, title), canvas, legend);
    const draw = (seriesKey) => {
      const points = history.get(seriesKey) || [];
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth || 400;
      const height = canvas.clientHeight || 180;
      if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
      if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
      const g = canvas.getContext('2d');
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, width, height);
      const left = 52;
      const right = 8;
      const top = 8;
      const bottom = 20;
      const now = points.length ? points[points.length - 1].t : Date.now();
      const from = now - HISTORY_MS;
      let max = 0;
      for (const p of points) for (const l of lines) max = Math.max(max, p[l.key] || 0);
      const step = niceStep(max, whole);
      max = step * 4;
      const x = (t) => left + ((t - from) / HISTORY_MS) * (width - left - right);
      const y = (v) => top + (1 - v / max) * (height - top - bottom);
      g.font = '11px system-ui, sans-serif';
      g.fillStyle = '#6b7787';
      g.strokeStyle = '#e6ebf1';
      g.lineWidth = 1;
      g.textAlign = 'right';
      g.textBaseline = 'middle';
      for (let i = 0; i <= 4; i += 1) {
        const v = step * i;
        g.beginPath();
        g.moveTo(left, Math.round(y(v)) + 0.5);
        g.lineTo(width - right, Math.round(y(v)) + 0.5);
        g.stroke();
        g.fillText(format(v), left - 6, y(v));
      }
      g.textAlign = 'center';
      g.textBaseline = 'alphabetic';
      for (let m = 0; m <= 5; m += 1) {
        const t = from + m * 60 * 1000;
        g.fillText(m === 5 ? 'now' : `-${5 - m} min`, Math.min(Math.max(x(t), left + 14), width - 18), height - 4);
      }
      for (const l of lines) {
        g.strokeStyle = l.color;
        g.lineWidth = 1.8;
        g.beginPath();
        let started = false;
        for (const p of points) {
          const px = x(p.t);
          const py = y(p[l.key] || 0);
          if (started) g.lineTo(px, py); else g.moveTo(px, py);
          started = true;
        }
        if (points.length === 1) g.arc(x(points[0].t), y(points[0][l.key] || 0), 1.5, 0, 2 * Math.PI);
        g.stroke();
      }
    };
    return { el: box, draw };
  }
  const color = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

  // -------------------------------------------------------------- state --
  const state = {
    overview: null,
    route: { kind: 'home' },
    view: null, // {update(overview), account, region}
    polling: false,
  };

  // #/  |  #/r/<account>/<region>  |  #/r/<account>/<region>/(queue|stream)/<name>
  function parseRoute() {
    const parts = location.hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
    let decoded;
    try { decoded = parts.map(decodeURIComponent); } catch (_) { decoded = []; }
    if (decoded[0] === 'r' && decoded.length >= 3) {
      const route = { kind: 'region', account: decoded[1], region: decoded[2] };
      if ((decoded[3] === 'queue' || decoded[3] === 'stream') && decoded.length >= 5) {
        route.kind = decoded[3];
        route.name = decoded.slice(4).join('/');
      }
      return route;
    }
    return { kind: 'home' };
  }
  const enc = encodeURIComponent;
  const regionHref = (account, region) => `#/r/${enc(account)}/${enc(region)}`;
  const queueHref = (account, region, name) => `${regionHref(account, region)}/queue/${enc(name)}`;
  const streamHref = (account, region, name) => `${regionHref(account, region)}/stream/${enc(name)}`;

  // ---------------------------------------------------------- polling --
  let timer = null;
  async function poll() {
    clearTimeout(timer);
    // One request at a time; a poll asked for meanwhile runs right after.
    if (state.polling) { state.again = true; return; }
    state.polling = true;
    state.again = false;
    const route = state.route;
    try {
      const params = route.kind === 'home' ? undefined : { account: route.account, region: route.region };
      const overview = await control('GET', '/overview', params);
      state.overview = overview;
      const t = Date.now();
      for (const q of overview.queues) {
        record(`q|${overview.account}|${overview.region}|${q.name}`, t, {
          visible: q.visible, in_flight: q.in_flight, delayed: q.delayed,
          sent: q.rates.sent, received: q.rates.received, deleted: q.rates.deleted,
        });
      }
      for (const s of overview.streams) {
        record(`s|${overview.account}|${overview.region}|${s.name}`, t, { put: s.rates.records_put });
      }
      let requests = 0;
      let errors = 0;
      for (const a of overview.actions) { requests += a.rate; errors += a.error_rate; }
      record('server', t, { requests, errors });
      $('live').textContent = 'live';
      $('live').className = 'live ok';
      renderHeader(overview);
      renderNav(overview);
      // The view the answer was asked for may have been left meanwhile.
      if (state.view && state.view.route === route) await state.view.update(overview);
    } catch (e) {
      $('live').textContent = `offline: ${e.message}`;
      $('live').className = 'live down';
    } finally {
      state.polling = false;
      clearTimeout(timer);
      timer = setTimeout(poll, state.again ? 0 : document.hidden ? POLL_MS * 5 : POLL_MS);
    }
  }

  // ------------------------------------------------------------ header --
  function renderHeader(o) {
    const s = o.server;
    $('server-line').textContent =
      `v${s.version} · ${s.storage} · up ${duration(s.uptime_seconds)}` +
      (s.kinesis_subscriptions !== undefined ? ` · ${s.kinesis_subscriptions} subscriptions` : '');
    $('clock-now').textContent = s.clock.now;
    $('clock-now').setAttribute('datetime', s.clock.now);
    $('clock-frozen').hidden = !s.clock.frozen;
    $('clock-toggle').textContent = s.clock.frozen ? 'Resume' : 'Freeze';
    $('clock-toggle').dataset.frozen = s.clock.frozen ? 'true' : 'false';
  }

  function setupClock() {
    for (const button of document.querySelectorAll('[data-advance]')) {
      button.addEventListener('click', () => act(button,
        () => control('POST', '/clock/advance', { seconds: button.dataset.advance }),
        (r) => toast(`Clock advanced to ${r.now}` + (r.long_polls_woken ? ` (${r.long_polls_woken} long polls woken)` : ''))));
    }
    const toggle = $('clock-toggle');
    toggle.addEventListener('click', () => act(toggle,
      () => control('POST', toggle.dataset.frozen === 'true' ? '/clock/resume' : '/clock/freeze')));
  }

  // --------------------------------------------------------------- nav --
  function renderNav(o) {
    const route = state.route;
    const items = [h('a', { href: '#/', class: route.kind === 'home' ? 'active' : null }, 'Emulator')];
    items.push(h('div', { class: 'nav-title' }, 'Accounts and regions'));
    if (!o.regions.length) items.push(h('div', { class: 'nav-item muted' }, 'No queues or streams yet'));
    for (const r of o.regions) {
      const here = route.kind !== 'home' && route.account === r.account && route.region === r.region;
      items.push(h('a', {
        href: regionHref(r.account, r.region),
        class: here && route.kind === 'region' ? 'active' : null,
        'data-region': `${r.account}/${r.region}`,
      }, `${r.account} · ${r.region}`,
      h('span', { class: 'nav-sub' }, `${plural(r.queues, 'queue')}, ${plural(r.streams, 'stream')}`)));
      if (!here || o.account !== r.account || o.region !== r.region) continue;
      for (const q of o.queues) {
        items.push(h('a', {
          href: queueHref(r.account, r.region, q.name),
          class: `nav-item${route.kind === 'queue' && route.name === q.name ? ' active' : ''}`,
        }, `▤ ${q.name}`));
      }
      for (const s of o.streams) {
        items.push(h('a', {
          href: streamHref(r.account, r.region, s.name),
          class: `nav-item${route.kind === 'stream' && route.name === s.name ? ' active' : ''}`,
        }, `≋ ${s.name}`));
      }
    }
    fill($('nav'), ...items);
  }

  // ------------------------------------------------------- small parts --
  const card = (label, value, test) => {
    const v = h('div', { class: 'card-value', 'data-card': test }, value);
    return { el: h('div', { class: 'card' }, h('div', { class: 'card-label' }, label), v), set: (x) => { v.textContent = x; } };
  };
  function table(headers, rows, empty) {
    if (!rows.length) return h('div', { class: 'empty' }, empty);
    return h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, headers.map((c) => h('th', { class: c.num ? 'num' : null }, c.label || c)))),
      h('tbody', {}, rows)));
  }
  const td = (value, attrs) => h('td', attrs || {}, value);
  const num = (value, col) => h('td', { class: 'num', 'data-col': col }, value);
  const field = (label, input, grow) => h('label', { class: grow ? 'field grow' : 'field' }, label, input);

  function notFound(what, name, back) {
    return h('div', { class: 'panel' }, h('h1', {}, `${what} not found`),
      h('p', { class: 'muted' }, `${name} does not exist (any more) in this account and region.`),
      h('a', { href: back }, 'Back'));
  }

  // -------------------------------------------------------------- home --
  function homeView() {
    const regions = h('div', { class: 'cards' });
    const cards = {
      queues: card('Queues', '–'), streams: card('Streams', '–'), requests: card('Requests/s', '–', 'requests'),
      errors: card('Errors/s', '–'), polls: card('Parked polls', '–'), faults: card('Faults injected', '–'),
    };
    const traffic = chart('Requests per second (all actions)', [
      { key: 'requests', label: 'requests/s', color: color('--c1') },
      { key: 'errors', label: 'errors/s', color: color('--bad') },
    ], rate);
    const actions = h('div');
    const faultList = h('div');
    const el = h('div', {},
      h('div', { class: 'title-row' }, h('h1', {}, 'Emulator')),
      h('div', { class: 'cards' }, Object.values(cards).map((c) => c.el)),
      h('h3', {}, 'Accounts and regions'), regions,
      traffic.el,
      h('div', { class: 'panel' }, h('h2', {}, 'Requests by action'), actions),
      faultsPanel(faultList),
      resetPanel());
    const update = async (o) => {
      let queues = 0;
      let streams = 0;
      for (const r of o.regions) { queues += r.queues; streams += r.streams; }
      cards.queues.set(int(queues));
      cards.streams.set(int(streams));
      const last = (history.get('server') || []).slice(-1)[0] || { requests: 0, errors: 0 };
      cards.requests.set(rate(last.requests));
      cards.errors.set(rate(last.errors));
      cards.polls.set(int(o.server.parked_long_polls));
      cards.faults.set(int(o.server.faults_injected));
      fill(regions, ...(o.regions.length ? o.regions.map((r) => h('a', {
        class: 'card', href: regionHref(r.account, r.region), 'data-region-card': `${r.account}/${r.region}`,
      }, h('div', { class: 'card-label' }, r.account), h('div', { class: 'card-value small' }, r.region),
      h('div', { class: 'muted' }, `${plural(r.queues, 'queue')} · ${plural(r.streams, 'stream')}`))) : [h('div', { class: 'empty' },
        'No queues or streams yet. Create some with any AWS SDK pointed at this server.')]));
      traffic.draw('server');
      const sorted = [...o.actions].sort((a, b) => b.requests - a.requests);
      fill(actions, table(
        ['Service', 'Action', { label: 'Requests', num: true }, { label: 'Req/s', num: true },
          { label: '4xx', num: true }, { label: '5xx', num: true }, { label: 'Errors/s', num: true },
          { label: 'Mean ms', num: true }],
        sorted.map((a) => h('tr', { 'data-action': `${a.service}/${a.action}` },
          td(a.service), td(a.action), num(int(a.requests), 'requests'), num(rate(a.rate), 'rate'),
          num(int(a.client_errors), '4xx'), num(int(a.server_errors), '5xx'), num(rate(a.error_rate), 'error_rate'),
          num(a.mean_ms.toFixed(2), 'mean'))),
        'No AWS requests yet.'));
      await refreshFaults(faultList);
    };
    return { el, update };
  }

  function faultsPanel(list) {
    const inputs = {
      service: h('select', {}, h('option', { value: '' }, 'any'), h('option', { value: 'sqs' }, 'sqs'),
        h('option', { value: 'kinesis' }, 'kinesis')),
      action: h('input', { placeholder: 'any, e.g. SendMessage', size: 16, name: 'action' }),
      resource: h('input', { placeholder: 'any queue/stream', size: 14, name: 'resource' }),
      error: h('input', { placeholder: 'e.g. ThrottlingException', size: 22, list: 'fault-errors', name: 'error' }),
      status: h('input', { type: 'number', min: 400, max: 599, size: 5, name: 'status' }),
      probability: h('input', { type: 'number', min: 0, max: 1, step: 0.05, value: 1, size: 5, name: 'probability' }),
      count: h('input', { type: 'number', min: 1, size: 5, name: 'count' }),
      latency_ms: h('input', { type: 'number', min: 0, max: 60000, size: 6, name: 'latency_ms' }),
      drop_connection: h('input', { type: 'checkbox', name: 'drop_connection' }),
    };
    const errors = h('datalist', { id: 'fault-errors' },
      ['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestThrottled', 'InternalFailure',
        'ServiceUnavailable', 'KMSThrottlingException'].map((e) => h('option', { value: e })));
    const add = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Add rule');
    const form = h('form', {
      class: 'form',
      onsubmit: (ev) => {
        ev.preventDefault();
        const rule = {};
        for (const [name, input] of Object.entries(inputs)) {
          if (input.type === 'checkbox') { if (input.checked) rule[name] = true; } else if (input.value !== '') {
            rule[name] = input.type === 'number' ? Number(input.value) : input.value;
          }
        }
        act(add, () => control('POST', '/faults', undefined, rule), (r) => {
          toast(`Fault rule ${r.rule.id} added`);
          refreshFaults(list);
        });
      },
    }, errors, h('div', { class: 'form-row' },
      field('Service', inputs.service), field('Action', inputs.action), field('Resource', inputs.resource),
      field('Error', inputs.error), field('Status', inputs.status), field('Probability', inputs.probability),
      field('Count', inputs.count), field('Latency ms', inputs.latency_ms),
      h('label', { class: 'check' }, inputs.drop_connection, 'drop connection'), add));
    const clear = h('button', { type: 'button', class: 'btn btn-danger btn-small' }, 'Delete all');
    clear.addEventListener('click', () => act(clear, () => control('DELETE', '/faults'), () => refreshFaults(list)));
    return h('div', { class: 'panel', id: 'faults' },
      h('div', { class: 'title-row' }, h('h2', { style: { margin: 0 } }, 'Fault rules'), clear),
      list, h('h3', {}, 'Add a rule'), form);
  }

  async function refreshFaults(list) {
    const { rules } = await control('GET', '/faults');
    fill(list, table(
      ['#', 'Service', 'Action', 'Resource', 'Effect', { label: 'Probability', num: true },
        { label: 'Left', num: true }, { label: 'Matched', num: true }, { label: 'Fired', num: true }, ''],
      rules.map((r) => {
        const effect = [];
        if (r.error) effect.push(`${r.error}${r.status ? ` (${r.status})` : ''}`);
        if (r.latency_ms) effect.push(`+${r.latency_ms} ms`);
        if (r.drop_connection) effect.push('drop connection');
        const del = h('button', { type: 'button', class: 'btn btn-small btn-danger' }, 'Delete');
        del.addEventListener('click', () => act(del, () => control('DELETE', `/faults/${r.id}`), () => refreshFaults(list)));
        return h('tr', { 'data-rule': r.id }, td(r.id), td(r.service || 'any'), td(r.action || 'any', { class: 'cell-wrap' }),
          td(r.resource || 'any', { class: 'cell-wrap' }), td(effect.join(', ')), num(r.probability),
          num(r.remaining === undefined ? '∞' : int(r.remaining)), num(int(r.matched)), num(int(r.fired)), td(del));
      }),
      'No fault rules: every request is answered normally.'));
  }

  function resetPanel() {
    const scope = h('select', { name: 'reset-service' }, h('option', { value: '' }, 'SQS and Kinesis'),
      h('option', { value: 'sqs' }, 'SQS only'), h('option', { value: 'kinesis' }, 'Kinesis only'));
    const button = h('button', { type: 'button', class: 'btn btn-danger', id: 'reset' }, 'Reset…');
    button.addEventListener('click', async () => {
      const what = scope.options[scope.selectedIndex].text;
      const ok = await confirmBox('Reset the emulator?',
        [`Every queue and stream (${what}) of every account and region is dropped, with their messages and records.`,
          'The clock and the fault rules stay.'], 'Reset');
      if (!ok) return;
      act(button, () => control('POST', '/reset', scope.value ? { service: scope.value } : undefined),
        () => toast('Reset done'));
    });
    return h('div', { class: 'panel' }, h('h2', {}, 'Reset'),
      h('div', { class: 'actions' }, field('What', scope), button));
  }

  // ------------------------------------------------------------ region --
  function regionView(route) {
    const queues = h('div');
    const streams = h('div');
    const el = h('div', {},
      h('div', { class: 'title-row' }, h('h1', {}, route.region),
        h('span', { class: 'badge' }, `account ${route.account}`)),
      h('div', { class: 'panel' }, h('h2', {}, 'Queues'), queues),
      h('div', { class: 'panel' }, h('h2', {}, 'Streams'), streams));
    const update = (o) => {
      fill(queues, table(
        ['Queue', 'Type', { label: 'Visible', num: true }, { label: 'In flight', num: true },
          { label: 'Delayed', num: true }, 'Dead-letter', { label: 'Sent/s', num: true },
          { label: 'Received/s', num: true }, { label: 'Deleted/s', num: true }],
        o.queues.map((q) => h('tr', { 'data-queue': q.name },
          td(h('a', { href: queueHref(o.account, o.region, q.name) }, q.name), { class: 'cell-wrap' }),
          td(q.fifo ? 'FIFO' : 'Standard'),
          num(int(q.visible), 'visible'), num(int(q.in_flight), 'in_flight'), num(int(q.delayed), 'delayed'),
          td(deadLetterCell(o, q), { 'data-col': 'dlq' }),
          num(rate(q.rates.sent), 'sent'), num(rate(q.rates.received), 'received'), num(rate(q.rates.deleted), 'deleted'))),
        'No queues in this account and region.'));
      fill(streams, table(
        ['Stream', 'Status', 'Mode', { label: 'Retention', num: true }, { label: 'Shards', num: true },
          { label: 'Records', num: true }, { label: 'Bytes', num: true }, { label: 'Records in/s', num: true },
          { label: 'Consumers', num: true }],
        o.streams.map((s) => h('tr', { 'data-stream': s.name },
          td(h('a', { href: streamHref(o.account, o.region, s.name) }, s.name), { class: 'cell-wrap' }),
          td(statusBadge(s.status)), td(s.mode), num(`${s.retention_hours} h`),
          num(`${s.open_shards} open / ${s.shards}`, 'shards'), num(int(s.records), 'records'),
          num(bytes(s.bytes), 'bytes'), num(rate(s.rates.records_put), 'rate'), num(int(s.consumers.length)))),
        'No streams in this account and region.'));
    };
    return { el, update };
  }

  function deadLetterCell(o, q) {
    const parts = [];
    if (q.dead_letter) {
      parts.push('→ ', h('a', { href: queueHref(o.account, o.region, q.dead_letter.name) }, q.dead_letter.name),
        ` after ${q.dead_letter.max_receive_count}`);
      if (!q.dead_letter.exists) parts.push(' ', h('span', { class: 'badge badge-bad' }, 'missing'));
    }
    if (q.dead_letter_sources) {
      if (parts.length) parts.push(h('br'));
      parts.push(h('span', { class: 'badge badge-info' }, 'DLQ'), ` of ${q.dead_letter_sources.length}`);
    }
    return parts.length ? parts : '–';
  }
  function statusBadge(status) {
    const cls = status === 'ACTIVE' ? 'badge-ok' : status === 'DELETING' ? 'badge-bad' : 'badge-warn';
    return h('span', { class: `badge ${cls}`, 'data-status': status }, status);
  }

  // ------------------------------------------------------------- queue --
  function queueView(route) {
    const { account, region, name } = route;
    const key = `q|${account}|${region}|${name}`;
    const find = (o) => o.queues.find((q) => q.name === name);
    const cards = {
      visible: card('Visible', '–', 'visible'), in_flight: card('In flight', '–', 'in_flight'),
      delayed: card('Delayed', '–', 'delayed'), sent: card('Sent', '–', 'sent'),
      received: card('Received', '–', 'received'), deleted: card('Deleted', '–', 'deleted'),
    };
    const depth = chart('Depth', [
      { key: 'visible', label: 'visible', color: color('--c1') },
      { key: 'in_flight', label: 'in flight', color: color('--c2') },
      { key: 'delayed', label: 'delayed', color: color('--c3') },
    ], int, true);
    const rates = chart('Messages per second', [
      { key: 'sent', label: 'sent/s', color: color('--c1') },
      { key: 'received', label: 'received/s', color: color('--c2') },
      { key: 'deleted', label: 'deleted/s', color: color('--c4') },
    ], rate);
    const badges = h('span', { class: 'actions' });
    const subtitle = h('div', { class: 'subtitle' });
    const deadLetter = h('div', { class: 'panel', id: 'dead-letter', hidden: true });
    const peekBody = h('div');
    const peekInfo = h('span', { class: 'muted' });
    const autoPeek = h('input', { type: 'checkbox', name: 'auto-peek' });
    const peekButton = h('button', { type: 'button', class: 'btn', id: 'peek' }, 'Peek');
    let missing = false;
    let fifo = false;

    async function peek(button) {
      try {
        if (button) button.disabled = true;
        const r = await control('GET', '/sqs/messages', { queue: name, account, region, limit: PEEK_LIMIT });
        const shown = r.Messages.length;
        const total = r.Counts.Visible + r.Counts.InFlight + r.Counts.Delayed;
        peekInfo.textContent = total > shown ? `first ${shown} of ${int(total)} messages` : `${int(shown)} messages`;
        fill(peekBody, table(
          ['#', 'State', 'Body', { label: 'Receives', num: true }, 'Group', 'Sent', 'Visible at', 'Attributes'],
          r.Messages.map((m, i) => h('tr', { 'data-message': m.MessageId },
            td(i + 1), td(h('span', { class: `badge ${m.State === 'visible' ? 'badge-ok' : 'badge-warn'}` }, m.State.replace('_', ' '))),
            td(m.Body, { class: 'cell-body', 'data-col': 'body', title: m.MessageId }),
            num(int(m.ReceiveCount), 'receives'), td(m.MessageGroupId || '–', { class: 'cell-wrap' }),
            td(timeOf(m.SentTimestamp), { title: iso(m.SentTimestamp) }),
            td(m.VisibleAt ? timeOf(m.VisibleAt) : '–', { title: m.VisibleAt ? iso(m.VisibleAt) : null }),
            td(m.MessageAttributes ? Object.entries(m.MessageAttributes).map(([k, a]) =>
              h('div', { class: 'mono' }, `${k} (${a.DataType}) = ${a.StringValue !== undefined ? a.StringValue : `${a.BinaryValueLength} bytes`}`)) : '–'))),
          'The queue is empty.'));
      } catch (e) {
        toast(e.message, true);
      } finally {
        if (button) button.disabled = false;
      }
    }
    peekButton.addEventListener('click', () => peek(peekButton));

    // Send form: group and deduplication ids only for FIFO queues.
    const body = h('textarea', { name: 'body', placeholder: 'Message body', required: true });
    const group = h('input', { name: 'group', placeholder: 'MessageGroupId', size: 16 });
    const dedup = h('input', { name: 'dedup', placeholder: 'MessageDeduplicationId', size: 20 });
    const delay = h('input', { name: 'delay', type: 'number', min: 0, max: 900, size: 5, placeholder: '0' });
    const fifoFields = [field('Group id', group), field('Deduplication id', dedup)];
    const delayField = field('Delay s', delay);
    const send = h('button', { type: 'submit', class: 'btn btn-primary', id: 'send' }, 'Send');
    const sendResult = h('span', { class: 'result' });
    const sendForm = h('form', {
      class: 'form',
      onsubmit: (ev) => {
        ev.preventDefault();
        const q = find(state.overview);
        if (!q) return;
        const input = { QueueUrl: q.url, MessageBody: body.value };
        if (fifo) {
          if (group.value) input.MessageGroupId = group.value;
          if (dedup.value) input.MessageDeduplicationId = dedup.value;
        } else if (delay.value !== '') {
          input.DelaySeconds = Number(delay.value);
        }
        act(send, () => aws('sqs', 'SendMessage', input, account, region), (r) => {
          sendResult.textContent = `Sent ${r.MessageId}`;
          toast('Message sent');
          peek();
        });
      },
    }, field('Body', body, true), h('div', { class: 'form-row' }, fifoFields, delayField, send, sendResult));
    const purge = h('button', { type: 'button', class: 'btn btn-danger', id: 'purge' }, 'Purge…');
    purge.addEventListener('click', async () => {
      const q = find(state.overview);
      if (!q) return;
      const ok = await confirmBox(`Purge ${name}?`, 'Every message in the queue is deleted (PurgeQueue).', 'Purge');
      if (ok) act(purge, () => aws('sqs', 'PurgeQueue', { QueueUrl: q.url }, account, region), () => { toast('Purged'); peek(); });
    });

    const el = h('div', {},
      h('div', { class: 'title-row' }, h('h1', {}, name), badges),
      subtitle,
      h('div', { class: 'cards', style: { 'margin-top': '12px' } }, Object.values(cards).map((c) => c.el)),
      h('div', { class: 'grid2' }, depth.el, rates.el),
      deadLetter,
      h('div', { class: 'panel' }, h('div', { class: 'title-row' }, h('h2', { style: { margin: 0 } }, 'Send a message'), purge),
        sendForm),
      h('div', { class: 'panel', id: 'messages' },
        h('div', { class: 'title-row' }, h('h2', { style: { margin: 0 } }, 'Messages (peek: nothing is received)'),
          peekButton, h('label', { class: 'check' }, autoPeek, 'refresh every second'), peekInfo),
        peekBody));

    let first = true;
    const update = async (o) => {
      const q = find(o);
      if (!q) {
        if (!missing) fill(el, notFound('Queue', name, regionHref(account, region)));
        missing = true;
        return;
      }
      if (missing) { render(); return; }
      fifo = q.fifo;
      for (const f of fifoFields) f.hidden = !fifo;
      delayField.hidden = fifo;
      fill(badges, h('span', { class: 'badge' }, q.fifo ? 'FIFO' : 'Standard'),
        q.dead_letter_sources ? h('span', { class: 'badge badge-info' }, 'dead-letter queue') : null);
      subtitle.textContent = `${q.url} · ${q.arn} · visibility timeout ${q.visibility_timeout_seconds} s`;
      for (const [k, c] of Object.entries(cards)) c.set(int(q[k]));
      depth.draw(key);
      rates.draw(key);
      renderDeadLetter(o, q);
      if (first || autoPeek.checked) await peek();
      first = false;
    };

    function renderDeadLetter(o, q) {
      const parts = [];
      if (q.dead_letter) {
        parts.push(h('p', {}, 'Messages received more than ', h('b', {}, String(q.dead_letter.max_receive_count)),
          ' times move to ', h('a', { href: queueHref(account, region, q.dead_letter.name) }, q.dead_letter.name),
          q.dead_letter.exists ? '.' : ' (which does not exist: they stay here).'));
      }
      if (q.dead_letter_sources) {
        parts.push(h('p', {}, 'Dead-letter queue of: ',
          q.dead_letter_sources.map((s, i) => [i ? ', ' : '', h('a', { href: queueHref(account, region, s) }, s)])));
        const redrive = h('button', { type: 'button', class: 'btn btn-primary', id: 'redrive' }, 'Redrive to sources');
        redrive.disabled = q.visible === 0 || (q.move_task && q.move_task.Status === 'RUNNING');
        redrive.addEventListener('click', () => act(redrive,
          () => aws('sqs', 'StartMessageMoveTask', { SourceArn: q.arn }, account, region),
          () => toast('Message move task started')));
        const task = q.move_task;
        const progress = [];
        if (task) {
          const total = Math.max(task.ApproximateNumberOfMessagesToMove, 1);
          const pct = Math.min(100, Math.round((100 * task.ApproximateNumberOfMessagesMoved) / total));
          progress.push(h('span', { class: 'badge', 'data-task-status': task.Status }, task.Status),
            h('div', { class: 'progress', title: `${pct}%` }, h('div', { style: { width: `${pct}%` } })),
            h('span', { class: 'muted', 'data-task-moved': task.ApproximateNumberOfMessagesMoved },
              `${int(task.ApproximateNumberOfMessagesMoved)} of ${int(task.ApproximateNumberOfMessagesToMove)} moved` +
              ` · started ${timeOf(task.StartedTimestamp)}` + (task.FailureReason ? ` · ${task.FailureReason}` : '')));
        }
        parts.push(h('div', { class: 'actions' }, redrive, progress));
      }
      deadLetter.hidden = !parts.length;
      fill(deadLetter, h('h2', {}, 'Dead-letter'), parts);
    }
    return { el, update };
  }

  // ------------------------------------------------------------ stream --
  // A consumer's active SubscribeToShard subscriptions: the shards, each
  // with its start as a tooltip.
  function subscribedShards(list) {
    if (!list) return '–';
    if (!list.length) return 'none';
    return list.map((sub, i) => h('span', { title: `since ${iso(sub.started_ms)}`, 'data-subscribed': sub.shard_id },
      i ? ', ' : '', sub.shard_id));
  }

  function streamView(route) {
    const { account, region, name } = route;
    const key = `s|${account}|${region}|${name}`;
    const find = (o) => o.streams.find((s) => s.name === name);
    const cards = {
      shards: card('Open shards', '–', 'shards'), records: card('Records retained', '–', 'records'),
      bytes: card('Bytes retained', '–', 'bytes'), put: card('Records put', '–', 'records_put'),
      rate: card('Records in/s', '–', 'rate'), consumers: card('Consumers', '–', 'consumers'),
    };
    const incoming = chart('Incoming records per second', [
      { key: 'put', label: 'records/s', color: color('--c1') },
    ], rate);
    const badges = h('span', { class: 'actions' });
    const subtitle = h('div', { class: 'subtitle' });
    const shards = h('div');
    const consumers = h('div');
    const tail = h('div');
    const pause = h('input', { type: 'checkbox', name: 'pause-tail' });
    let missing = false;
    const el = h('div', {},
      h('div', { class: 'title-row' }, h('h1', {}, name), badges),
      subtitle,
      h('div', { class: 'cards', style: { 'margin-top': '12px' } }, Object.values(cards).map((c) => c.el)),
      incoming.el,
      h('div', { class: 'panel', id: 'tail' },
        h('div', { class: 'title-row' }, h('h2', { style: { margin: 0 } }, 'Newest records'),
          h('label', { class: 'check' }, pause, 'pause')),
        tail),
      h('div', { class: 'panel' }, h('h2', {}, 'Shards'), shards),
      h('div', { class: 'panel', id: 'consumers' }, h('h2', {}, 'Consumers'), consumers));

    const update = async (o) => {
      const s = find(o);
      if (!s) {
        if (!missing) fill(el, notFound('Stream', name, regionHref(account, region)));
        missing = true;
        return;
      }
      if (missing) { render(); return; }
      fill(badges, statusBadge(s.status), h('span', { class: 'badge' }, s.mode),
        h('span', { class: 'badge' }, `retention ${s.retention_hours} h`));
      subtitle.textContent = s.arn;
      cards.shards.set(`${s.open_shards} / ${s.shards}`);
      cards.records.set(int(s.records));
      cards.bytes.set(bytes(s.bytes));
      cards.put.set(int(s.records_put));
      cards.rate.set(rate(s.rates.records_put));
      cards.consumers.set(int(s.consumers.length));
      incoming.draw(key);
      const subscriptions = s.subscriptions;
      fill(consumers, table(['Consumer', 'Status', 'Registered', 'ARN', 'Subscriptions'],
        s.consumers.map((c) => h('tr', { 'data-consumer': c.name }, td(c.name, { class: 'cell-wrap' }),
          td(statusBadge(c.status)), td(iso(c.created_ms)), td(c.arn, { class: 'mono cell-wrap' }),
          td(subscribedShards(subscriptions && subscriptions[c.name]), { class: 'mono cell-wrap', 'data-col': 'subscriptions' }))),
        'No consumers registered.'),
      o.server.kinesis_subscriptions !== undefined
        ? h('p', { class: 'muted' }, `SubscribeToShard subscriptions active on this server: ${o.server.kinesis_subscriptions}`)
        : null);
      let detail;
      let newest;
      try {
        [detail, newest] = await Promise.all([
          control('GET', '/kinesis/shards', { StreamName: name, account, region }),
          pause.checked ? null : control('GET', '/kinesis/records', { StreamName: name, account, region, limit: TAIL_LIMIT }),
        ]);
      } catch (_) {
        return; // deleted meanwhile: the next overview says so
      }
      fill(shards, table(['Shard', 'State', 'Hash key range', 'Parent', 'Adjacent parent',
        { label: 'Records', num: true }, { label: 'Bytes', num: true }, { label: 'Put', num: true }],
      detail.Shards.map((sh) => h('tr', { 'data-shard': sh.ShardId }, td(sh.ShardId, { class: 'mono' }),
        td(h('span', { class: `badge ${sh.Open ? 'badge-ok' : ''}` }, sh.Open ? 'open' : 'closed')),
        td(`${sh.HashKeyRange.StartingHashKey} – ${sh.HashKeyRange.EndingHashKey}`, { class: 'mono cell-wrap' }),
        td(sh.ParentShardId || '–', { class: 'mono' }), td(sh.AdjacentParentShardId || '–', { class: 'mono' }),
        num(int(sh.Records), 'records'), num(bytes(sh.Bytes), 'bytes'), num(int(sh.RecordsPut), 'put'))),
      'No shards.'));
      if (newest) {
        fill(tail, table(['Arrived', 'Shard', 'Partition key', 'Sequence number', { label: 'Size', num: true }, 'Data'],
          newest.Records.map((r) => h('tr', { 'data-sequence': r.SequenceNumber },
            td(timeOf(r.ApproximateArrivalTimestamp), { title: iso(r.ApproximateArrivalTimestamp) }),
            td(r.ShardId, { class: 'mono' }), td(r.PartitionKey, { class: 'cell-wrap', 'data-col': 'key' }),
            td(r.SequenceNumber, { class: 'mono cell-wrap' }), num(bytes(r.Size)),
            td(r.Text !== undefined ? [r.Text, r.Truncated ? '…' : '']
              : [h('span', { class: 'badge' }, 'hex'), ' ', h('span', { class: 'hex' }, r.Hex + (r.Truncated ? ' …' : ''))],
            { class: 'cell-body', 'data-col': 'data' }))),
          'No records yet: put some and they appear here.'));
        tail.classList.add('tail');
      }
    };
    return { el, update };
  }

  // ------------------------------------------------------------ render --
  function render() {
    const route = state.route;
    let view;
    if (route.kind === 'queue') view = queueView(route);
    else if (route.kind === 'stream') view = streamView(route);
    else if (route.kind === 'region') view = regionView(route);
    else view = homeView();
    view.route = route;
    state.view = view;
    fill($('main'), view.el);
  }

  window.addEventListener('hashchange', () => {
    state.route = parseRoute();
    render();
    poll();
  });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) poll(); });
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !$('modal').hidden) $('modal-cancel').click(); });

  setupClock();
  state.route = parseRoute();
  render();
  poll();
})();
