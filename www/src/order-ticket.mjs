// The live view's manual order ticket: its inputs as one order of the JS API's
// `command.openRequests` (market or limit; a stop trigger or a trailing offset; bracket exits),
// and an engine error about that order shown at the input it names. The page checks nothing
// the engine checks: it sends what was typed and shows the engine's answer.
import { $ } from './dom.mjs';

// Each input and the names an error gives its field: the JS API's (`stopLoss: expected a
// decimal…`, from the command constructor) and the engine's request paths
// (`SendOpenRequests[0].state.bracket.stop_loss`). Checked in this order, so the more precise
// name wins ("state.bracket.stop_loss" before "state.bracket").
const FIELDS = [
  ['t-trail', /^trailing\b|state\.trigger\.trailing/],
  ['t-stop', /^stop\b|state\.trigger(\.price)?$/],
  ['t-sl', /^stopLoss\b|state\.bracket\.stop_loss/],
  ['t-tp', /^takeProfit\b|state\.bracket\.take_profit/],
  ['t-ts', /^trailingStop\b|state\.bracket\.trailing_stop/],
  // A bracket on a sell: the side is what to change.
  ['t-side', /^side\b|state\.bracket$|state\.side/],
  ['t-price', /^price\b|state\.price/],
  ['t-qty', /^quantity\b|state\.quantity/],
  ['t-type', /^type\b|state\.kind|state\.time_in_force/],
];
const INPUTS = FIELDS.map(([id]) => id);

// The field an error is about: the engine's `details` (`{field}` under the error's kind) or the
// constructor's message prefix (`stop: …`).
function fieldOf(err) {
  const d = err?.details;
  const inner = d && typeof d === 'object' ? (typeof d.field === 'string' ? d : Object.values(d).find((v) => typeof v?.field === 'string')) : null;
  const names = [inner?.field, String(err?.message ?? '')].filter(Boolean);
  for (const [id, re] of FIELDS) if (names.some((n) => re.test(n))) return id;
  return null;
}

// What is wrong, without the code and field path the engine's message starts with (the code is
// shown before it, and the field is where it is shown).
const reason = (err) => (typeof err.details?.message === 'string' ? err.details.message : String(err.message ?? err).replace(`${err.code}: `, ''));

/**
 * Shows `err` (an engine error, or null to clear) at the ticket input it names; returns that
 * input's id, or null when it names none (the caller shows it in the view's error box).
 */
export function showTicketError(err) {
  const id = err ? fieldOf(err) : null;
  for (const name of INPUTS) {
    const input = $(`#${name}`);
    const box = $(`#${name}-err`);
    const on = name === id;
    if (on) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (box) {
      box.textContent = on ? `${err.code}: ${reason(err)}` : '';
      box.hidden = !on;
    }
  }
  return id;
}

const text = (id) => $(`#${id}`).value.trim();

/**
 * The ticket as an order for the worker's `order` operation; a market order's price defaults
 * to `lastPrice` (its reference: the engine fills a market order at the market, and checks a
 * bracket's exits against this price). Returns `{error}` when there is no price to give.
 */
export function readTicket(lastPrice) {
  const type = $('#t-type').value;
  const order = { instrument: Number($('#t-inst').value), side: $('#t-side').value, type, quantity: text('t-qty'), price: text('t-price') || (type === 'market' ? lastPrice : '') };
  if (!order.price) {
    const message = type === 'limit' ? 'a limit order needs a price' : 'no price yet for this instrument: wait for its first market event or give a price';
    return { error: { code: 'INVALID_ORDER', message, details: { field: 'price' } } };
  }
  // Empty inputs are left out (the order is then a plain one); what is typed goes as typed.
  const put = (key, id, wrap = (v) => v) => {
    if (text(id)) order[key] = wrap(text(id));
  };
  put('stop', 't-stop');
  put('trailing', 't-trail', (v) => ({ [$('#t-trail-unit').value]: v }));
  put('stopLoss', 't-sl');
  put('takeProfit', 't-tp');
  put('trailingStop', 't-ts');
  return { order };
}
