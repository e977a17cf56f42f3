// The live tab's manual order as an open request: sent to the exchange its instrument trades on.

/**
 * Each instrument's exchange index, from a config as `parseConfig` returns it.
 * @param {object} normal the parsed config
 * @returns {number[]}
 */
export function exchangesOf(normal) {
  return (normal.instruments?.instruments ?? []).map((i) => i.exchange ?? 0);
}

/**
 * The open request for the order ticket's `order` (the `n`th manual order of the session).
 * A stop or trailing order rests until it triggers, as a limit rests until it fills: good until
 * cancelled; the rest are immediate-or-cancel.
 * @param {object} command the JS API's `command` constructors
 * @param {number[]} exchangeOf each instrument's exchange index (see `exchangesOf`)
 * @param {object} order the ticket: instrument, side, type, price, quantity, stop, trailing, bracket
 * @param {number} n
 */
export function manualOrder(command, exchangeOf, order, n) {
  const rests = order.type === 'limit' || order.stop !== undefined || order.trailing !== undefined;
  const instrument = order.instrument ?? 0;
  const { stop, trailing, stopLoss, takeProfit, trailingStop } = order;
  return command.openRequests({
    exchange: exchangeOf[instrument] ?? 0,
    instrument,
    strategy: 'manual',
    cid: `manual-${n}`,
    side: order.side,
    price: order.price,
    quantity: order.quantity,
    type: order.type,
    timeInForce: rests ? 'GTC' : 'IOC',
    stop,
    trailing,
    stopLoss,
    takeProfit,
    trailingStop,
  });
}
