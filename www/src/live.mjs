// Live mode: the chosen data set replayed into a live System (in its own Worker) at a chosen
// speed; trading on/off, close positions, cancel orders, a manual order ticket; the audit
// stream as a scrolling log; positions and balances as they change; shutdown with a summary.
import { $, h } from './dom.mjs';
import { statsTable } from './results.mjs';
import { readTicket, showTicketError } from './order-ticket.mjs';

const LOG_LINES = 400; // the log keeps the newest lines (the full stream is the engine's)

export function initLive({ state, engineFactory, jsPayload, showBox }) {
  let engine = null;
  let running = false;
  let trading = true;
  let lastPrices = []; // per instrument: market orders are sent at the last price
  const probe = window.__tidemark;
  const buttons = ['#live-trading', '#live-close', '#live-cancel', '#live-stop', '#t-send'];
  const enable = (on) => {
    for (const b of buttons) $(b).disabled = !on;
    $('#live-start').disabled = on;
  };
  const statusEl = $('#live-status');
  const log = $('#live-log');
  // The log scrolls: focusable, so keyboard users can scroll it too.
  $('#live-log-wrap').tabIndex = 0;
  const scroller = $('#live-log-wrap');
  // So is the open orders' table when it is wider than the view.
  $('#live-orders-wrap').tabIndex = 0;

  function appendLog(lines) {
    if (!lines.length) return;
    const stick = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 4;
    log.append(...lines.slice(-LOG_LINES).map((l) => h('li', { text: l })));
    while (log.childElementCount > LOG_LINES) log.firstElementChild.remove();
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    probe.liveLog = (probe.liveLog ?? 0) + lines.length;
    // Everything but market data, kept whole for the tests (the log itself keeps the newest).
    probe.liveNotable = [...(probe.liveNotable ?? []), ...lines.filter((l) => !/ market /.test(l))].slice(-2000);
  }

  function showState(s, processed, total) {
    $('#live-progress').value = total ? processed / total : 0;
    lastPrices = s.instruments.map((i, k) => i.price ?? lastPrices[k] ?? null);
    $('#live-state').replaceChildren(
      h('h2', { text: 'State' }),
      h('p', { text: `Engine time ${s.time ?? '—'} · trading ${s.trading} · ${processed.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events` }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'sheet', id: 'live-positions' }, h('caption', { text: 'Instruments' }),
        h('thead', {}, h('tr', {}, ['instrument', 'last price', 'position', 'open orders', 'realised PnL'].map((c) => h('th', { scope: 'col', text: c })))),
        h('tbody', {}, s.instruments.map((i) => h('tr', {}, h('td', { text: i.instrument }), h('td', { class: 'n', text: i.price ?? '—' }), h('td', { text: i.position ? `${i.position.side} ${i.position.quantity}` : 'flat' }), h('td', { class: 'n', text: String(i.orders) }), h('td', { class: 'n', text: i.pnl })))))),
      h('table', { class: 'sheet', id: 'live-balances' }, h('caption', { text: 'Balances' }),
        h('thead', {}, h('tr', {}, ['asset', 'total', 'free'].map((c) => h('th', { scope: 'col', text: c })))),
        h('tbody', {}, s.balances.map((b) => h('tr', {}, h('td', { text: b.asset }), h('td', { class: 'n', text: b.total ?? '—' }), h('td', { class: 'n', text: b.free ?? '—' }))))));
    // The open orders' table stays (its scrolling region keeps focus); its rows are replaced.
    $('#live-orders caption').textContent = `Open orders (${s.orders.length})`;
    $('#live-orders tbody').replaceChildren(...s.orders.map((o) => h('tr', { 'data-cid': o.cid }, [o.cid, o.instrument, o.side, o.what, o.price, o.trigger || '—', o.quantity, o.filled, o.state].map((v, i) => h('td', { class: i >= 4 && i <= 7 ? 'n' : undefined, text: v })))));
    probe.liveState = s;
  }

  function onEvent(ev) {
    if (ev.type === 'tick') {
      appendLog(ev.ticks);
      if (ev.state) showState(ev.state, ev.processed, ev.total);
    } else if (ev.type === 'started') {
      statusEl.textContent = `Replaying ${ev.total.toLocaleString('en-US')} events.`;
      $('#t-inst').replaceChildren(...ev.names.instruments.map((name, i) => h('option', { value: String(i), text: name })));
    } else if (ev.type === 'ended') statusEl.textContent = 'Replay finished; the system stays up until you shut it down.';
    else if (ev.type === 'error') showBox($('#live-error'), ev.error);
  }

  async function start() {
    showBox($('#live-error'), null);
    $('#live-summary').replaceChildren();
    log.replaceChildren();
    let js;
    try {
      js = jsPayload();
    } catch (e) {
      showBox($('#live-error'), e);
      return;
    }
    engine ??= engineFactory();
    running = true;
    trading = true;
    setTrading(true);
    enable(true);
    statusEl.textContent = 'Starting the system…';
    try {
      const { report } = await engine.call('liveStart', { config: state.config, data: state.data.file ?? state.data.text, speed: Number($('#live-speed').value), js }, { onEvent });
      $('#live-summary').replaceChildren(h('h2', { text: 'Summary at shutdown' }), statsTable(report.backtesting_py?.stats ?? {}));
      statusEl.textContent = `Shut down: ${report.summary.portfolio.trades} closed trades, equity ${report.summary.portfolio.equity_final}.`;
      probe.liveSummary = report.backtesting_py?.stats ?? null;
    } catch (e) {
      showBox($('#live-error'), e);
      statusEl.textContent = 'The live system stopped with an error.';
    } finally {
      running = false;
      enable(false);
    }
  }

  function setTrading(on) {
    const b = $('#live-trading');
    b.setAttribute('aria-pressed', String(on));
    b.textContent = on ? 'Trading on' : 'Trading off';
  }

  // `onError` takes an error the operation's own inputs caused (true: shown there).
  async function control(op, extra = {}, onError = () => false) {
    if (!running) return;
    showBox($('#live-error'), null);
    try {
      await engine.call('liveControl', { op, ...extra });
      if (op === 'trading') {
        trading = !trading;
        setTrading(trading);
      }
      probe.liveOps = [...(probe.liveOps ?? []), op];
    } catch (e) {
      if (!onError(e)) showBox($('#live-error'), e);
    }
  }

  $('#live-start').addEventListener('click', start);
  $('#live-trading').addEventListener('click', () => control('trading'));
  $('#live-close').addEventListener('click', () => control('close'));
  $('#live-cancel').addEventListener('click', () => control('cancel'));
  $('#live-stop').addEventListener('click', () => control('shutdown'));
  $('#live-speed').addEventListener('change', () => control('speed', { speed: Number($('#live-speed').value) }));
  $('#ticket').addEventListener('submit', (e) => {
    e.preventDefault();
    showTicketError(null);
    const instrument = Number($('#t-inst').value);
    const { order, error } = readTicket(lastPrices[instrument]);
    if (error) {
      showTicketError(error);
      return;
    }
    // The engine's answer about a field shows at that field (and is kept for the tests).
    control('order', { order }, (err) => {
      probe.ticketError = { code: err.code, message: err.message, field: showTicketError(err) };
      return probe.ticketError.field !== null;
    });
  });
}
